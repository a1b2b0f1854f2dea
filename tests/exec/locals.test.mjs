// Locals of every value type, SIMD included, must survive pauses bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('locals');
const wasm = ws.compileC('locals.c', { flags: ['-msimd128'] });

test('i32, i64, f32, f64 and v128 locals live across pauses', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => {
      io.out.push(await call('mix', 7, 1234567890123n));
      io.out.push(await call('mix', -99, -5n));
    },
  });
  assert.equal(runs.original.out.length, 2 * (19 + 16) + 2);
  assert.equal(runs.ours.unwinds, 2 * 6 * 3);
});
