// Pauses inside legacy catch and catch_all handlers. On rewind the handler is re-entered, so
// each test checks what the handler computes from its payload before and after its pauses.
// Binaryen does not support unwinding here, so ours is compared with the original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ASYNCIFY_TOOL, Workspace, validate } from './lib/toolchain.mjs';
import {
  threeWays, runSync, runAsync, nextValue, nextValue64, objectImports, rejectingThirteen,
} from './lib/three-ways.mjs';

const features = ['--enable-exceptions', '--enable-tail-call'];
const ws = new Workspace('catch-handlers');
const wasm = ws.assemble('catch-handlers.wat', { features });

// fail(x) throws a host error (never pauses); next(13) fails (see rejectingThirteen).
const makeImports = (io, async) => {
  const imports = rejectingThirteen(io, async);
  imports.env.fail = (x) => {
    throw new Error(`host failure ${x}`);
  };
  Object.assign(imports.env, objectImports(io));
  return imports;
};

const each = (name, inputs) => ({
  binaryen: false,
  features,
  makeImports,
  drive: async (call, io) => {
    for (const x of inputs) io.out.push(await call(name, x));
  },
});

const next = nextValue;

test('catch $tag: the payload used before a pause and kept on the operand stack across it', async () => {
  const xs = [0, 3, -20];
  const runs = await threeWays(ws, wasm, each('payload', xs));
  const expected = xs.flatMap((x) => {
    const p = Math.imul(next(x), 7);
    return [p, ((p + next(p)) | 0) ^ next(p)];
  });
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, 3 * xs.length);
});

test('catch_all over a tag with payload, a tag without and a host exception, pausing twice', async () => {
  const xs = [3, 7, 8]; // x % 3 picks the exception
  const runs = await threeWays(ws, wasm, each('catch_all_pause', xs));
  const expected = xs.flatMap((x) => {
    const v = next(x);
    return [v, (v + next(v)) | 0];
  });
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('a loop inside a handler pausing on every turn', async () => {
  const ns = [1, 6, 12]; // below 13, where next fails
  const runs = await threeWays(ws, wasm, each('handler_loop', ns));
  const loop = (n) => {
    let acc = 0;
    for (let i = n; i > 0; i--) acc = (Math.imul(acc, 31) + next(i)) | 0;
    return acc;
  };
  assert.deepEqual(runs.original.out, ns.map(loop));
  assert.equal(runs.ours.unwinds, 1 + 6 + 12);
});

test('a try nested in a handler, its body and its own handler pausing', async () => {
  const xs = [2, 3, 10, 11];
  const runs = await threeWays(ws, wasm, each('nested_in_handler', xs));
  const expected = xs.map((x) => {
    const v = next(x);
    return v & 1 ? (0 - next((x + v) | 0)) | 0 : v;
  });
  assert.deepEqual(runs.original.out, expected);
});

test('rethrow after a pause in catch $tag carries the original payload to an outer handler', async () => {
  const xs = [5, -8];
  const runs = await threeWays(ws, wasm, each('rethrow_after_pause', xs));
  // The rethrower prints next(x); the outer handler adds 1000000 and next(1) to the payload.
  assert.deepEqual(runs.original.out, xs.flatMap((x) => [next(x), (x + 1000000 + next(1)) | 0]));
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('an import rejecting inside a handler: caught by the caller, which pauses again', async () => {
  const runs = await threeWays(ws, wasm, each('reject_in_handler', [12, 13, 14]));
  const ok = (x) => (2 * x + next(x) + next(1)) | 0;
  assert.deepEqual(runs.original.out, [ok(12), -1 + next(1), ok(14)]);
});

test('an import rejecting inside a handler: caught by a try in the handler, which pauses again', async () => {
  const runs = await threeWays(ws, wasm, each('reject_caught_in_handler', [13, 5]));
  assert.deepEqual(runs.original.out, [-next(2), next(5)]);
});

test('three clauses on one try, each pausing: the rewind re-enters the one that caught', async () => {
  const xs = [3, 4, 5, 6, 7, 8]; // x % 3 picks $oops, $other or a host exception
  const runs = await threeWays(ws, wasm, each('clauses', xs));
  const clause = [(x) => (x + next(x)) | 0, (x) => -next(x), (x) => Math.imul(next(x), 2)];
  assert.deepEqual(runs.original.out, xs.map((x) => clause[x % 3](x)));
  assert.equal(runs.ours.unwinds, xs.length);
});

test('a handler calling a function that pauses in its own handler', async () => {
  const xs = [0, 20];
  const runs = await threeWays(ws, wasm, each('handler_calls_handler', xs));
  assert.deepEqual(runs.original.out, xs.map((x) => (next(x + 1) + x + 1) | 0));
});

test('a handler run and paused on every turn of a loop, each time with another payload', async () => {
  const ns = [1, 12]; // below 13, where next fails
  const runs = await threeWays(ws, wasm, each('loop_of_handlers', ns));
  const turns = (n) => {
    let acc = 0;
    for (let i = 1; i <= n; i++) acc = Math.imul(acc, 3) ^ next(i);
    return acc;
  };
  assert.deepEqual(runs.original.out, ns.map(turns));
  assert.equal(runs.ours.unwinds, 1 + 12);
});

test('rethrow 1 from a nested handler after pauses in both: the outer payload goes on', async () => {
  const xs = [6, -2];
  const runs = await threeWays(ws, wasm, each('rethrow_outer', xs));
  assert.deepEqual(runs.original.out, xs.flatMap((x) => [next(x), next(3), x]));
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('a payload holding a host object and an i32: the same object after the pause', async () => {
  const runs = await threeWays(ws, wasm, each('ref_payload', [4, 9]));
  assert.deepEqual(runs.original.out, [next(4) + 1, next(9) + 1]);
});

test('i64 and f64 payloads on the operand stack across the pause', async () => {
  const xs = [5n, -7n, 1n << 40n];
  const runs = await threeWays(ws, wasm, each('wide_payload', xs));
  const expected = xs.map((x) => Number(x * 3n) + ((Number(x) + 0.25) + Number(nextValue64(x))));
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, xs.length);
});

test('a handler that pauses, then leaves by a return_call to a function that pauses', async () => {
  const xs = [2, 30];
  const runs = await threeWays(ws, wasm, each('tail_from_handler', xs));
  assert.deepEqual(runs.original.out, xs.map((x) => Math.imul(next((x + next(x)) | 0), 3)));
  assert.equal(runs.ours.unwinds, 2 * xs.length);
});

test('a cleanup pad (catch_all, a pause, rethrow) passes on the exception it caught, payload and all', async () => {
  const xs = [4, 5, 6, 8, 9, 10]; // x % 4 picks $oops, $other (rethrown by a nested handler), $wide
  const runs = await threeWays(ws, wasm, each('cleanup_rethrow', xs));
  const expected = xs.flatMap((x) => {
    const caught = [x + 1000, -2, x * x][x % 4];
    return x % 4 === 1 ? [next(x), next(5), caught] : [next(x), caught];
  });
  assert.deepEqual(runs.original.out, expected);
  assert.equal(runs.ours.unwinds, xs.length + xs.filter((x) => x % 4 === 1).length);
});

test("a cleanup pad that caught a host's exception and paused traps on rewind, with a warning", async () => {
  const out = wasm.replace(/\.wasm$/, '.pad.wasm');
  const tool = spawnSync(ASYNCIFY_TOOL, [wasm, '-o', out, '--imports', 'env.next'], { encoding: 'utf8' });
  assert.equal(tool.status, 0, tool.stderr);
  assert.match(`${tool.stdout}${tool.stderr}`, /warning: Asyncify: 1 catch_all handler may pause and then rethrow; .* traps \(first: function \S+ at byte offset \d+\)/);
  validate(out, features);
  const original = await runSync(wasm, { makeImports, drive: async (call, io) => io.out.push(await call('cleanup_rethrow', 7)) });
  assert.deepEqual(original.out, [next(7), -3]);
  await runAsync(out, {
    makeImports,
    drive: async (call, io) => {
      await assert.rejects(call('cleanup_rethrow', 7), WebAssembly.RuntimeError);
      assert.deepEqual(io.out, []); // the pad did not go on after the pause
    },
  });
});
