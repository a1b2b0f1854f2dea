// A rejected Promise comes back as an exception thrown by the import at the rewind: the export
// call fails with that very error, and the instance stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, rejectingAt } from './lib/three-ways.mjs';

const ws = new Workspace('errors');
const wasm = ws.compileC('loops.c');

const makeImports = rejectingAt(5, () => new RangeError('five is not allowed'));

test('a rejection fails the call with the same error; later calls still work', async () => {
  const runs = await threeWays(ws, wasm, {
    makeImports,
    drive: async (call, io) => {
      try {
        io.out.push(await call('loop_sum', 10));
      } catch (error) {
        io.out.push(['failed', error.constructor.name, error.message]);
      }
      io.out.push(await call('loop_sum', 4));
      io.out.push(await call('nested', 2, 2));
    },
  });
  assert.deepEqual(runs.original.out[0], ['failed', 'RangeError', 'five is not allowed']);
});
