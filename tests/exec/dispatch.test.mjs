// Rewinding through the dispatch shapes in programs/dispatch.wat, where one state test serves
// two dispatches or none is needed (see openSequence): every call site is paused at and
// resumed, and the entry
// counters in memory (compared with the original's at the end) show that no code before a pause
// ran again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('dispatch');
const wasm = ws.assemble('dispatch.wat');

const CASES = {
  prefixed_block: [2, 3], // even: leaves the block after its first site
  bare_block: [4, 11],
  two_levels: [-5, 6],
  loop_first: [1, 3],
  guarded_block: [99, 8],
  after_then_if: [100, 7, 0], // 100: no pause in the if
  guard_then_block: [2, 9],
};

for (const [name, inputs] of Object.entries(CASES)) {
  for (const oursArgs of [[], ['-Os']]) {
    test(`${name}${oursArgs.length ? ' (-Os)' : ''}: every site pauses and resumes, nothing runs twice`, async () => {
      const runs = await threeWays(ws, wasm, {
        oursArgs,
        host: { garbageRewindArgs: true },
        drive: async (call, io) => {
          for (const x of inputs) io.out.push(await call(name, x));
          io.out.push(...new Int32Array(io.memory.buffer, 0, 15));
        },
      });
      assert.ok(runs.ours.unwinds >= 2 * inputs.length);
    });
  }
}
