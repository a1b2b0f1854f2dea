// Reference-typed values (externref, funcref) live across pauses. The host hands out objects and
// checks identity after every resume, and counts make_obj calls (see objectImports).
// Binaryen does not support refs across pauses, so ours is compared with the original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';
import { threeWays, nextValue, objectImports, standardImports, PAUSING } from './lib/three-ways.mjs';

const ws = new Workspace('refs');
const wasm = ws.assemble('refs.wat');
const pausing = [...PAUSING, 'env.echo_obj', 'env.hang', 'env.yield'];

// Beyond the host objects: echo_obj pauses and hands its object back; hang never settles.
function withObjects(imports, io, async) {
  Object.assign(imports.env, objectImports(io), {
    echo_obj: (o) => (async ? new Promise((resolve) => setTimeout(() => resolve(o), 0)) : o),
    // The paused stack is abandoned. The original cannot abandon a stack, so there the call just
    // fails and leaves nothing behind either.
    hang: () => {
      if (async) return new Promise(() => {});
      throw new Error('abandoned');
    },
    yield: () => (async ? new Promise((resolve) => queueMicrotask(resolve)) : undefined),
  });
  return imports;
}

const makeImports = (io, async) => withObjects(standardImports(io, async), io, async);
const options = (drive) => ({
  binaryen: false, pausing, makeImports, drive: async (call, io) => {
    await drive(call, io);
    io.out.push(`made ${io.made}`);
  },
});

const double = (v) => Math.imul(v, 2);
const negate = (v) => (0 - v) | 0;
const square = (v) => Math.imul(v, v);
const FNS = [double, negate, square];

const refLocals = (x) => {
  const v = nextValue(x);
  return { out: [1, 1, 1, 1, 1, 0, (double(v) + square(v)) | 0], made: 2 };
};

// Every frame prints 3 (two objects and a funcref intact), innermost first, and returns the
// sum of next(k) for k = 0..d.
const deep = (d) => {
  let sum = 0;
  for (let k = 0; k <= d; k++) sum = (sum + nextValue(k)) | 0;
  return { out: [...Array(d + 1).fill(3), sum], made: 2 * (d + 1) };
};

test('funcref and externref locals, null and non-null, across pauses', async () => {
  const xs = [0, 5, 1000];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const x of xs) io.out.push(await call('ref_locals', x));
  }));
  const expected = xs.map(refLocals);
  assert.deepEqual(runs.original.out, [...expected.flatMap((e) => e.out), `made ${2 * xs.length}`]);
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('60 frames deep, each holding two host objects and a funcref across two pauses', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('deep', 59));
  }));
  const { out, made } = deep(59);
  assert.deepEqual(runs.original.out, [...out, `made ${made}`]);
  assert.equal(runs.ours.unwinds, 2 * 60);
});

test('refs on the operand stack below a pausing call', async () => {
  const ks = [0, 9, -4];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const k of ks) io.out.push(await call('stack_refs', k));
  }));
  assert.deepEqual(runs.original.out, [...ks.map((k) => (2 + negate(nextValue(k))) | 0), `made ${2 * ks.length}`]);
  assert.equal(runs.ours.unwinds, 3 * ks.length);
});

test('ref.func and ref.null below a pausing call are emitted again after it', async () => {
  const ks = [3, -7];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const k of ks) io.out.push(await call('const_refs', k));
  }));
  assert.deepEqual(runs.original.out, [...ks.map((k) => (square(nextValue(k)) + 1 + nextValue(5)) | 0), 'made 0']);
  assert.equal(runs.ours.unwinds, 2 * ks.length);
});

test('ref-typed parameters and a ref result across pauses, refs under a pausing select', async () => {
  const ks = [4, -1000000]; // the second makes select pick its null operand
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const k of ks) io.out.push(await call('ref_params', k));
  }));
  const expected = ks.flatMap((k) => [square(nextValue(k)), nextValue(k) >= -1000000 ? 1 : 0]);
  assert.deepEqual(runs.original.out, [...expected, `made ${ks.length}`]);
  assert.deepEqual(expected.filter((_, i) => i % 2), [1, 0]);
  assert.equal(runs.ours.unwinds, 2 * ks.length);
});

// ref.func gives a non-nullable reference: kept on the operand stack below a pausing call, or
// as an argument of a pausing call after one that cannot be recomputed, it must be saved in a
// way that validates (no non-defaultable local read before it is set).
test('non-nullable refs from ref.func on the operand stack across a pause', async () => {
  const module = ws.assembleText('non-null-refs', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (import "env" "make_obj" (func $make_obj (param i32) (result externref)))
    (import "env" "check_obj" (func $check_obj (param externref i32) (result i32)))
    (memory (export "memory") 1)
    (type $unary (func (param i32) (result i32)))
    (table $slot 1 funcref)
    (elem declare func $square)
    (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))
    (func $apply (param $f funcref) (param $x i32) (result i32)
      (table.set $slot (i32.const 0) (local.get $f))
      (call_indirect $slot (type $unary) (local.get $x) (i32.const 0)))
    (func $keep (param $o externref) (param $f funcref) (param $k i32) (result i32)
      (i32.add (call $check_obj (local.get $o) (local.get $k))
        (call $apply (local.get $f) (call $next (local.get $k)))))
    (func (export "below") (param $k i32) (result i32)
      (call $apply (ref.func $square) (call $next (local.get $k))))
    (func (export "argument") (param $k i32) (result i32)
      (call $keep (call $make_obj (local.get $k)) (ref.func $square) (local.get $k))))`);
  const ks = [3, -11];
  const runs = await threeWays(ws, module, options(async (call, io) => {
    for (const k of ks) io.out.push(await call('below', k), await call('argument', k));
  }));
  const expected = ks.flatMap((k) => [square(nextValue(k)), 1 + square(nextValue(k))]);
  assert.deepEqual(runs.original.out, [...expected, `made ${ks.length}`]);
  assert.equal(runs.ours.unwinds, 2 * ks.length);
});

test('call_indirect through a funcref from table.get, held only by a local across a pause', async () => {
  const xs = [3, 4, 5, 6];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const x of xs) io.out.push(await call('indirect_held', x));
  }));
  assert.deepEqual(runs.original.out, [...xs.map((x) => FNS[x % 3](nextValue(x))), 'made 0']);
});

test('a pausing import that takes and returns an externref', async () => {
  // AbiHost also checks that the rewind passes the very same object to the import again.
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const k of [1, 2]) io.out.push(await call('echo', k));
  }));
  assert.deepEqual(runs.original.out, [2, 2, 'made 2']);
});

test('stacks abandoned while paused with refs, then new calls that pause with refs', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    call('abandon', 40).catch(() => {}); // never settles in the async runs: not awaited
    io.out.push(await call('deep', 50));
    call('abandon', 3).catch(() => {});
    io.out.push(await call('ref_locals', 9));
    io.out.push(await call('stack_refs', 1));
    io.out.push(await call('deep', 2));
    // Many abandoned stacks: whatever they left parked must not exhaust anything.
    for (let k = 0; k < 100; k++) call('abandon', 2).catch(() => {});
    io.out.push(await call('deep', 5));
  }));
  const deep50 = deep(50);
  const deep2 = deep(2);
  const locals = refLocals(9);
  const deep5 = deep(5);
  const made = 41 + deep50.made + 4 + locals.made + 2 + deep2.made + 100 * 3 + deep5.made;
  assert.deepEqual(runs.original.out, [
    ...deep50.out, ...locals.out, (2 + negate(nextValue(1))) | 0, ...deep2.out, ...deep5.out, `made ${made}`,
  ]);
  assert.equal(runs.ours.unwinds, 2 + 2 * 51 + 2 + 3 + 2 * 3 + 100 + 2 * 6);
});

// Coroutines: several paused stacks, each in its own buffer, resumed round-robin by a host that
// drives the ABI by hand. Their refs are parked at the same time, so a slot reused by another
// stack shows up as a failed identity check.
const COROUTINES = [{ id: 1, depth: 20 }, { id: 2, depth: 33 }, { id: 3, depth: 7 }];
const BUFFER = 16 * 1024;

// What one coroutine yields: its depths on the way in, their negations on the way out.
function yields({ depth }) {
  const values = [];
  for (let d = depth; d >= 0; d--) values.push(d);
  for (let d = 0; d <= depth; d++) values.push((0 - d) | 0);
  return values;
}

function instantiateCoroutines(file, onYield) {
  const io = { out: [] };
  const imports = withObjects(standardImports(io, false), io, false);
  imports.env.yield = onYield;
  return WebAssembly.instantiate(load(file), imports).then(({ instance }) => ({ e: instance.exports, io }));
}

async function runInterleaved(file) {
  let e;
  let current = null;
  const log = [];
  const ready = await instantiateCoroutines(file, (id, v) => {
    if (e.asyncify_get_state() === 2) {
      e.asyncify_stop_rewind();
      return;
    }
    log.push([id, v]);
    const view = new DataView(e.memory.buffer);
    view.setUint32(current.data, current.data + 8, true);
    view.setUint32(current.data + 4, current.data + 8 + BUFFER, true);
    e.asyncify_start_unwind(current.data);
  });
  e = ready.e;
  const base = e.memory.grow(Math.ceil((COROUTINES.length * (BUFFER + 64)) / 65536)) * 65536;
  const coroutines = COROUTINES.map((c, k) => ({ ...c, data: base + k * (BUFFER + 64), started: false, done: false }));
  let live = coroutines.length;
  while (live > 0) {
    for (const co of coroutines) {
      if (co.done) continue;
      current = co;
      if (co.started) e.asyncify_start_rewind(co.data);
      co.started = true;
      const result = e.coroutine(co.id, co.depth);
      if (e.asyncify_get_state() === 1) {
        e.asyncify_stop_unwind();
      } else {
        assert.equal(e.asyncify_get_state(), 0);
        co.done = true;
        co.result = result;
        live--;
      }
    }
  }
  return { log, results: coroutines.map((c) => c.result), made: ready.io.made };
}

test('coroutines unwound and rewound interleaved, every frame holding externrefs', async () => {
  const madeExpected = COROUTINES.reduce((n, c) => n + 2 * (c.depth + 1), 0);
  // The original, each coroutine run alone to completion.
  const log = [];
  const alone = await instantiateCoroutines(wasm, (id, v) => void log.push([id, v]));
  const results = COROUTINES.map((c) => alone.e.coroutine(c.id, c.depth));
  assert.deepEqual(log, COROUTINES.flatMap((c) => yields(c).map((v) => [c.id, v])));
  assert.deepEqual(results, COROUTINES.map((c) => 2 * (c.depth + 1)));
  assert.equal(alone.io.made, madeExpected);

  const ours = ws.ours(wasm, { imports: ['env.yield'], suffix: 'coroutines' }).wasm;
  const run = await runInterleaved(ours);
  const lists = COROUTINES.map(yields);
  const interleaved = [];
  for (let k = 0; k < Math.max(...lists.map((l) => l.length)); k++) {
    lists.forEach((l, i) => {
      if (k < l.length) interleaved.push([COROUTINES[i].id, l[k]]);
    });
  }
  assert.deepEqual(run.log, interleaved);
  assert.deepEqual(run.results, results);
  assert.equal(run.made, madeExpected);
});

test('three calls paused at once through the host, resumed interleaved, refs parked in all', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    // The original runs them one after the other; the async runs pause them in turn.
    io.out.push(...await Promise.all(COROUTINES.map((c) => call('coroutine', c.id, c.depth))));
  }));
  // Every frame makes two objects and yields twice.
  const frames = COROUTINES.reduce((n, c) => n + c.depth + 1, 0);
  assert.deepEqual(runs.original.out, [...COROUTINES.map((c) => 2 * (c.depth + 1)), `made ${2 * frames}`]);
  assert.equal(runs.ours.unwinds, 2 * frames);
});
