// Legacy exception handling around pauses. Binaryen does not support unwinding here, so ours is
// compared with the synchronous original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue, rejectingThirteen } from './lib/three-ways.mjs';

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

test('a local written after a call that pauses then throws keeps its value for the handler', async () => {
  const runs = await threeWays(ws, wasm, each('overwritten_after_throwing_call', [3, 20, 17, 40]));
  assert.deepEqual(runs.original.out, [3, 20, 17, 40].map((x) => (nextValue(x) > 50 ? x * 1000 : nextValue(x))));
});

test('a call that never returns normally, in a try and outside one', async () => {
  const runs = await threeWays(ws, wasm, each('panic_in_try', [0, 1, 2, 3]));
  const expected = [0, 1, 2, 3].flatMap((x) => {
    const y = nextValue(x);
    const caught = y + 7;  // the first panic's payload, caught inside
    if (!(y & 1)) return [nextValue(y), caught, caught];
    return [nextValue(y), caught, nextValue(caught), caught + 7];  // the second reaches the export
  });
  assert.deepEqual(runs.original.out, expected);
});

test('nested try with delegate, pauses at both levels', async () => {
  const runs = await threeWays(ws, wasm, each('nested_try', [0, 5]));
  assert.deepEqual(runs.original.out, [42 + nextValue(0), -(42 + nextValue(5))]);
});

test('a pause right after a handler', async () => {
  const runs = await threeWays(ws, wasm, each('pause_after_catch', [9]));
  assert.deepEqual(runs.original.out, [nextValue(9)]);
});

test('a rejected import caught by catch_all around the pausing call', async () => {
  const runs = await threeWays(ws, wasm, { ...each('catch_import_error', [12, 13, 14]), makeImports: rejectingThirteen });
  assert.deepEqual(runs.original.out, [nextValue(12) + nextValue(1), -1, nextValue(14) + nextValue(1)]);
});

test('a rejection two instrumented frames below the handler, then another pause', async () => {
  const runs = await threeWays(ws, wasm, { ...each('catch_deep_rejection', [13, 4]), makeImports: rejectingThirteen });
  assert.deepEqual(runs.original.out, [-1 + nextValue(1), (nextValue(4) + 1) * 2 + nextValue(1)]);
});

// Pauses inside handlers are resumed by throwing the caught exception again (catch-handlers.test.mjs).
// A catch_all handler that pauses and then rethrows gets a copy per tag of the module, so that
// the payload it caught can be thrown again; past eight tags reaching it (eight copies), the
// transform refuses it, whether the rethrow is in the handler itself or in a handler nested in it.
const REFUSED = {
  'rethrow 0 in the handler': `(catch_all
    (drop (call $next (local.get 0)))
    (rethrow 0))`,
  'rethrow 1 from a nested handler': `(catch_all
    (drop (call $next (local.get 0)))
    (try (result i32)
      (do (throw $other))
      (catch $other (rethrow 1))))`,
};

for (const [label, handler] of Object.entries(REFUSED)) {
  for (const tags of [8, 9]) {
    test(`a pause in a catch_all handler, then ${label}, ${tags} tags: ${tags > 8 ? 'refused with a clear message' : 'split'}`, () => {
      const more = Array.from({ length: tags - 2 }, (_, k) => `(tag $t${k} (param i64))`).join(' ');
      const wasm = ws.assembleText(`catch-all-${label.split(' ')[1]}-${tags}`, `(module
        (import "env" "next" (func $next (param i32) (result i32)))
        (tag $oops (param i32))
        (tag $other)
        ${more}
        (func (export "f") (param i32) (result i32)
          (try (result i32)
            (do (throw $oops (local.get 0)))
            ${handler})))`, { features });
      if (tags <= 8) {
        ws.ours(wasm, { imports: ['env.next'], validateFeatures: features });
        return;
      }
      assert.throws(() => ws.ours(wasm, { imports: ['env.next'] }), (error) => {
        // The first line is the command (with file names); the tool's own message follows.
        const [command, ...output] = error.message.split('\n');
        assert.match(command, /\(exit 1\):$/);
        assert.match(output.join('\n'), /catch_all handler that rethrows an exception of one of more than 8 tags/);
        return true;
      });
    });
  }
}
