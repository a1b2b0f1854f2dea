// Save and restore helpers of large frames hand the end of the frame to the helper of a shorter
// signature that the module has anyway (i32 x 24 -> i32 x 12, i64 x 2 + i32 x 12 -> i32 x 12).
// Every value must come back where it was, with multi-value restores and with scratch globals.
// With multi-value the i32 sizes are the module's own: here one size, of 10 values (11 with
// the seed, one of them in the id's slot: each function pauses at one call), takes every frame,
// the larger ones by runs of 11 values ahead of the call with the id (see frame-splits.test.mjs):
// 21 values and the id padded to 22 slots, 41 to 44, 81 to 88.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('helper-chains');
const wasm = ws.assemble('helper-chains.wat');
const NAMES = ['i32x10', 'i32x20', 'i32x40', 'i64x2_i32x10', 'i64x2_f64_i32x10', 'i32x80'];

const drive = async (call, io) => {
  for (const seed of [1, 77, 40000]) for (const name of NAMES) io.out.push(await call(name, seed));
};

for (const oursArgs of [[], ['--enable-multivalue'], ['-Os', '--enable-multivalue'], ['--no-bounds-check', '--enable-multivalue']]) {
  test(`frames saved and restored through helper chains (${oursArgs.join(' ') || 'no multi-value'})`, async () => {
    const runs = await threeWays(ws, wasm, { drive, oursArgs, report: true, minUnwinds: 18 });
    // The signatures the chains rely on: 12, 24, 48 and 96 i32 slots and two mixed ones, or
    // with multi-value the module's own sizes.
    const frames = NAMES.map((_, k) => runs.report.functions.find((f) => f.index === 2 + k).maxFrameBytes);
    const multi = oursArgs.includes('--enable-multivalue');
    assert.deepEqual(frames, multi ? [44, 88, 176, 60, 76, 352] : [52, 100, 196, 68, 84, 388]);
  });
}
