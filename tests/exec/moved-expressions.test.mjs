// Pure expressions below a pausing call are moved to its landing instead of being spilled (see
// Remat in src/transform/instrumenter.h): same results as the original, smaller frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('moved-expressions');
const wasm = ws.assemble('moved-expressions.wat');

const drive = async (call, io) => {
  for (const i of [0, 3, 9]) io.out.push(await call('store_at', 64, i));
  io.out.push(await call('written_before_the_call', 7));
  for (const i of [2, 40]) io.out.push(await call('mutable_global', i));
  io.out.push(await call('in_a_loop', 6));
  io.out.push(await call('below_a_block', 3, 5));
};

// Functions after the two imports, in module order.
const FUNCTIONS = ['bump_then_next', 'store_at', 'written_before_the_call', 'mutable_global', 'in_a_loop',
  'weigh', 'below_a_block'];
const frameOf = (report, name) => report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf(name)).maxFrameBytes;

for (const oursArgs of [[], ['-Os']]) {
  test(`expressions moved to the landing compute the same values${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, host: { garbageRewindArgs: true }, minUnwinds: 15 });
    // store_at saves $p and $i (read again after the call), not the address: two i32 slots
    // and the site id.
    assert.equal(frameOf(runs.report, 'store_at'), 12);
  });
}
