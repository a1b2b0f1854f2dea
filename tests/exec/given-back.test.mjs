// Parameters given back on rewind (src/transform/rebuilt_arguments.h): a callee that never
// writes a parameter gets it back from its caller, which rebuilds the call's arguments, so it
// saves none of them. The report shows the smaller frames, and the programs print what the
// original prints with exports re-entered with junk arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('given-back');
const wasm = ws.assemble('given-back.wat');

const drive = async (call, io) => {
  for (const x of [3, -8]) io.out.push(await call('direct', x));
  io.out.push(await call('shared', 11));
  io.out.push(await call('chain', 6));
  for (const which of [0, 1]) io.out.push(await call('indirect', 4, which));
};

// Functions after the four imports, in module order.
const FUNCTIONS = ['leaf', 'middle', 'shared_', 'leaf2', 'middle2', 'counts_down', 'by_table', 'direct', 'shared', 'chain', 'indirect'];
const frameOf = (report, name) => report.functions.find((f) => f.index === 4 + FUNCTIONS.indexOf(name)).maxFrameBytes;

for (const oursArgs of [[], ['-Os']]) {
  test(`parameters never written come back from the caller${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, host: { garbageRewindArgs: true }, minUnwinds: 11 });
    // One pausable call each and nothing else live across it: no frame at all.
    for (const name of ['leaf', 'middle', 'leaf2', 'by_table']) assert.equal(frameOf(runs.report, name), 0, `${name} keeps no frame`);
    // $shared saves $v (one caller passes a loaded value), not the i64 $w: two i32 slots (the
    // count is rounded up so that frames share helpers) and the site id. $counts_down saves
    // its written parameters.
    assert.equal(frameOf(runs.report, 'shared_'), 12, 'shared saves $v only');
    assert.ok(frameOf(runs.report, 'middle2') > 0, 'middle2 keeps $p for its callee');
    assert.ok(frameOf(runs.report, 'counts_down') >= 12, 'counts_down saves its written parameters');
    // Exports save what they read after the pause: the host re-enters them with junk.
    for (const name of ['direct', 'shared']) assert.ok(frameOf(runs.report, name) > 0, `${name} keeps a frame`);
  });
}
