// C++ cleanup pads compiled by clang (-fwasm-exceptions): a destructor that pauses while an
// exception propagates. The catch_all handler that runs it and rethrows is split by tag in the
// transform, so the rethrow after the pause carries the original exception on. Binaryen cannot
// unwind out of a handler, so ours is compared with the synchronous original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue as next } from './lib/three-ways.mjs';

const ws = new Workspace('cleanup-pads');
const wasm = ws.compileC('cleanup-pads.cpp', { flags: ['-fwasm-exceptions'] });

test('destructors that pause during unwinding, then the exception reaches its handler', async () => {
  const xs = [2, 3, 4, 7]; // next(x + 1) is odd, so thrown, for odd x
  const runs = await threeWays(ws, wasm, {
    binaryen: false,
    features: ['--enable-exceptions'],
    drive: async (call, io) => {
      for (const x of xs) io.out.push(await call('run', x));
    },
  });
  const expected = xs.flatMap((x) => {
    const v = next(x + 1);
    return v & 1 ? [next(v), next(x), -v] : [next(x), v];
  });
  assert.deepEqual(runs.original.out, expected);
  // Every call pauses in next(x + 1) and in each destructor.
  assert.equal(runs.ours.unwinds, xs.reduce((n, x) => n + (next(x + 1) & 1 ? 3 : 2), 0));
});
