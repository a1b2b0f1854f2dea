// Tail calls to pausing functions. Binaryen rejects return_call, so ours is compared with the
// synchronous original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue, objectImports, standardImports } from './lib/three-ways.mjs';

const features = ['--enable-tail-call'];
const ws = new Workspace('tailcall');
const wasm = ws.assemble('tailcall.wat', { features });
// A tail call replaces its caller's frame, so a paused tail chain saves only the frames still
// live. The buffer is generous anyway: a transform that kept a frame per tail step should fail
// the highWater check below, not overflow.
const options = (drive) => ({ binaryen: false, features, drive, host: { bufferBytes: 1 << 20 } });

function tailSteps(n) {
  let acc = 0;
  for (let even = true; n !== 0; even = !even, n--) {
    if (even) {
      if (n % 100 === 0) acc = (acc + nextValue(n)) | 0;
      acc ^= n;
    } else {
      acc = (acc + 3) | 0;
    }
  }
  return (acc + 42) | 0;
}

test('mutual tail recursion through return_call and return_call_indirect', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('tail_steps', 5000));
  }));
  assert.deepEqual(runs.original.out, [-1, tailSteps(5000)]);
  assert.equal(runs.ours.unwinds, 50 + 1);
});

test('return_call straight into a pausing import', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('tail_to_pausing', 21));
  }));
  assert.deepEqual(runs.original.out, [21, nextValue(42)]);
});

test('return_call into a pausing import, followed by unreachable', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const x of [4, -9]) io.out.push(await call('tail_then_unreachable', x));
  }));
  assert.deepEqual(runs.original.out, [4, -9].flatMap((x) => [nextValue(x), nextValue(x + 1)]));
  assert.equal(runs.ours.unwinds, 4);
});

test('return_call_indirect whose target is picked by a pausing call', async () => {
  await threeWays(ws, wasm, options(async (call, io) => {
    for (const n of [10, 11, 400]) io.out.push(await call('tail_indirect', n));
  }));
});

// Tail calls run in constant stack: a million steps must not exhaust the native stack after
// the transform either.
test('a million tail calls deep', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('tail_steps', 1_000_000));
  }));
  assert.deepEqual(runs.original.out, [-1, tailSteps(1_000_000)]);
  assert.equal(runs.ours.unwinds, 10_000 + 1);
});

// At every pause of tail_steps only the current step's frame is live, whereas a frame kept per
// step would need at least a few bytes for each of 5,000 steps (80 KB before tail calls stayed).
test('a paused tail chain saves only the live frames', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('tail_steps', 5000));
  }));
  assert.ok(runs.ours.host.highWater > 0 && runs.ours.host.highWater < 1024,
    `the deepest unwind saved ${runs.ours.host.highWater} bytes`);
});

// mixed(n, acc): odd n calls on normally and then pauses, even n pauses then tail-calls on.
function mixed(n, acc) {
  if (n === 0) return (acc + 42) | 0;
  if (n & 1) return (mixed(n - 1, (acc + n) | 0) - nextValue(n)) | 0;
  return mixed(n - 1, acc ^ nextValue(n));
}

test('a function with both a pausing call and a pausing return_call', async () => {
  const ns = [1, 2, 7, 300];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const n of ns) io.out.push(await call('mixed', n));
  }));
  assert.deepEqual(runs.original.out, ns.map((n) => mixed(n, 0)));
  // Every n >= 1 pauses once in next, and each run once more in answer.
  assert.equal(runs.ours.unwinds, ns.reduce((sum, n) => sum + n + 1, 0));
});

test('a -return_call-> b -return_call-> c where only c pauses', async () => {
  const xs = [0, 4, -9];
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const x of xs) io.out.push(await call('chain', x));
  }));
  const expected = xs.flatMap((x) => {
    const z = (x + 1 + 2 * x) | 0;
    return [x, 2 * x, (1000 + nextValue(z) + nextValue(z + 1)) | 0];
  });
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('a loop opening the function, then a pausing return_call', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('loop_then_tail', 5));
  }));
  let acc = 0;
  for (let n = 5; n > 0; n--) acc = (acc + nextValue(n)) | 0;
  const z = (acc + 5) | 0;  // the loop's counter in memory turned five times
  assert.deepEqual(runs.original.out, [(nextValue(z) + nextValue(z + 1)) | 0]);
  assert.equal(runs.ours.unwinds, 5 + 2);
});

// Slots of tail_table's return_call_indirect: 2 pauses and doubles, 3 adds 5 without pausing,
// 4 is the pausing import itself (a tail call into it may keep the caller's frame), 5 hops on
// to slot 2 by another return_call_indirect.
const SLOTS = new Map([
  [2, { pauses: 1, f: (v) => Math.imul(nextValue(v), 2) }],
  [3, { pauses: 0, f: (v) => (v + 5) | 0 }],
  [4, { pauses: 1, f: (v) => nextValue(v) }],
  [5, { pauses: 1, f: (v) => Math.imul(nextValue((v + 1) | 0), 2) }],
]);

test('return_call_indirect through a table holding instrumented functions and a pausing import', async () => {
  const calls = [...SLOTS.keys()].flatMap((slot) => [[slot, 6], [slot, -1]]);
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const [slot, x] of calls) io.out.push(await call('tail_table', slot, x));
  }));
  const expected = calls.flatMap(([slot, x]) => [slot, SLOTS.get(slot).f(nextValue(x))]);
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, calls.reduce((sum, [slot]) => sum + 1 + SLOTS.get(slot).pauses, 0));
});

// Refs along a tail chain: every step makes an object, holds it and the one its tail caller
// passed across a pause (every 10th step), then tail-calls on with its own. 200,000 steps would
// overflow the native stack if the chain kept frames.
const REF_CHAIN = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "make_obj" (func $make_obj (param i32) (result externref)))
  (import "env" "check_obj" (func $check_obj (param externref i32) (result i32)))
  (memory (export "memory") 1)
  (func $step (param $n i32) (param $o externref) (param $acc i32) (result i32)
    (local $mine externref)
    (local.set $mine (call $make_obj (local.get $n)))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 10)))
      (then (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))))
    (local.set $acc
      (i32.add (local.get $acc) (call $check_obj (local.get $o) (i32.add (local.get $n) (i32.const 1)))))
    (if (i32.eqz (local.get $n))
      (then (return (i32.add (local.get $acc) (call $check_obj (local.get $mine) (i32.const 0))))))
    (return_call $step (i32.sub (local.get $n) (i32.const 1)) (local.get $mine) (local.get $acc)))
  (func (export "ref_chain") (param $n i32) (result i32)
    (return_call $step (local.get $n) (call $make_obj (i32.add (local.get $n) (i32.const 1))) (i32.const 0))))`;

test('externrefs handed along 200,000 tail calls, held across pauses', async () => {
  const n = 200_000;
  const module = ws.assembleText('ref-chain', REF_CHAIN, { features });
  const runs = await threeWays(ws, module, {
    ...options(async (call, io) => {
      io.out.push(await call('ref_chain', n), io.made);
    }),
    makeImports: (io, async) => {
      const imports = standardImports(io, async);
      Object.assign(imports.env, objectImports(io));
      return imports;
    },
  });
  let acc = 0;
  for (let k = 0; k <= n; k += 10) acc = (acc + nextValue(k)) | 0;
  // n + 1 steps each check the object handed to them, and the last one its own.
  assert.deepEqual(runs.original.out, [(acc + n + 2) | 0, n + 2]);
  assert.equal(runs.ours.unwinds, n / 10 + 1);
  assert.ok(runs.ours.host.highWater < 1024, `the deepest unwind saved ${runs.ours.host.highWater} bytes`);
});

// A caller rewinding after a pausing return_call reads whose frame is on top from the id in the
// buffer's last word. Frames of different sizes, which helpers could save in chains (the end of
// a large frame handed to the helper of a smaller one), must still leave the id there.
const WIDE = 12;
const HAND_OVER = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $wide (param $x i32) (result i32)
    ${Array.from({ length: WIDE }, (_, k) => `(local $v${k} i32)`).join(' ')}
    ${Array.from({ length: WIDE }, (_, k) => `(local.set $v${k} (i32.mul (local.get $x) (i32.const ${2 * k + 3})))`).join('\n    ')}
    (local.set $x (call $next (local.get $x)))
    ${Array.from({ length: WIDE }, (_, k) => `(local.set $x (i32.xor (i32.add (local.get $x) (local.get $v${k})) (i32.const ${k})))`).join('\n    ')}
    (local.get $x))
  (func $narrow (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (i32.add (local.get $x) (i32.const 5)))
    (local.set $b (i32.mul (local.get $x) (i32.const 7)))
    (local.set $c (i32.sub (local.get $x) (i32.const 9)))
    (local.set $x (call $next (local.get $x)))
    (i32.add (local.get $x) (i32.xor (local.get $a) (i32.add (local.get $b) (local.get $c)))))
  (func (export "hand_over") (param $x i32) (result i32)
    (local $k i32)
    (local.set $k (call $next (local.get $x)))
    (if (i32.and (local.get $k) (i32.const 1))
      (then (return_call $narrow (i32.add (local.get $k) (local.get $x)))))
    (return_call $wide (i32.sub (local.get $k) (local.get $x)))))`;

function handOver(x) {
  const k = nextValue(x);
  const y = (k & 1) ? (k + x) | 0 : (k - x) | 0;
  if (k & 1) return (nextValue(y) + ((y + 5) ^ ((Math.imul(y, 7) + (y - 9)) | 0))) | 0;
  let r = nextValue(y);
  for (let j = 0; j < WIDE; j++) r = ((r + Math.imul(y, 2 * j + 3)) | 0) ^ j;
  return r;
}

for (const oursArgs of [[], ['--enable-multivalue']]) {
  test(`frames of several sizes under a pausing return_call (${oursArgs.join(' ') || 'no multi-value'})`, async () => {
    const module = ws.assembleText('hand-over', HAND_OVER, { features });
    const xs = [1, 2, 3, 10, -77, 4096];
    const runs = await threeWays(ws, module, { ...options(async (call, io) => {
      for (const x of xs) io.out.push(await call('hand_over', x));
    }), oursArgs });
    assert.deepEqual(runs.original.out, xs.map(handOver));
    assert.equal(runs.ours.unwinds, 2 * xs.length);
  });
}
