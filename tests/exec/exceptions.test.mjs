// Legacy exception handling around pauses. Binaryen does not support unwinding here, so ours is
// compared with the synchronous original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue, standardImports } from './lib/three-ways.mjs';

const features = ['--enable-exceptions'];
const ws = new Workspace('exceptions');
const wasm = ws.assemble('exceptions.wat', { features });

const each = (name, inputs) => ({
  binaryen: false,
  features,
  drive: async (call, io) => {
    for (const x of inputs) io.out.push(await call(name, x));
  },
});

test('a pause inside a try body, then a throw caught by its handler', async () => {
  const runs = await threeWays(ws, wasm, each('pause_then_throw', [0, 1, 2, 3]));
  const expected = [0, 1, 2, 3].flatMap((x) => {
    const v = nextValue(x);
    return [v, v & 1 ? 100000 + v : v];
  });
  assert.deepEqual(runs.original.out, expected);
});

test('a throw after a pause in a callee, caught by an instrumented caller', async () => {
  await threeWays(ws, wasm, each('throw_from_callee', [40]));
});

test('nested try with delegate, pauses at both levels', async () => {
  const runs = await threeWays(ws, wasm, each('nested_try', [0, 5]));
  assert.deepEqual(runs.original.out, [42 + nextValue(0), -(42 + nextValue(5))]);
});

test('a pause right after a handler', async () => {
  const runs = await threeWays(ws, wasm, each('pause_after_catch', [9]));
  assert.deepEqual(runs.original.out, [nextValue(9)]);
});

// next(13) fails: it throws when synchronous, its Promise rejects when asynchronous.
const rejectingThirteen = (io, async) => {
  const imports = standardImports(io, async);
  const next = imports.env.next;
  imports.env.next = (x) => {
    if (x !== 13) return next(x);
    const error = new Error('unlucky');
    if (!async) throw error;
    return new Promise((resolve, reject) => setTimeout(() => reject(error), 0));
  };
  return imports;
};

test('a rejected import caught by catch_all around the pausing call', async () => {
  const runs = await threeWays(ws, wasm, { ...each('catch_import_error', [12, 13, 14]), makeImports: rejectingThirteen });
  assert.deepEqual(runs.original.out, [nextValue(12) + nextValue(1), -1, nextValue(14) + nextValue(1)]);
});

test('a rejection two instrumented frames below the handler, then another pause', async () => {
  const runs = await threeWays(ws, wasm, { ...each('catch_deep_rejection', [13, 4]), makeImports: rejectingThirteen });
  assert.deepEqual(runs.original.out, [-1 + nextValue(1), (nextValue(4) + 1) * 2 + nextValue(1)]);
});

// Resuming inside a handler is not supported (the caught exception cannot be rebuilt on rewind);
// the transform must say so instead of emitting a module that misbehaves.
test('a pause inside a catch handler is refused with a clear message', () => {
  const wasm = ws.assembleText('pause-in-catch', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (tag $oops (param i32))
    (func (export "f") (param i32) (result i32)
      (try (result i32)
        (do (throw $oops (local.get 0)))
        (catch $oops (call $next)))))`, { features });
  assert.throws(() => ws.ours(wasm, { imports: ['env.next'] }), /catch/);
});
