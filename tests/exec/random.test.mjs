// Differential runs of random programs (lib/random-program.mjs), three ways; with exception
// handling, ours against the original only (legacy handling in Node, try_table and exnref in
// Chromium). EXEC_RANDOM_SEEDS picks how many (default 16) and EXEC_RANDOM_FIRST the first seed,
// for longer local runs; EXEC_RANDOM_ARGS adds options to our transform (say "--asserts -Os").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChromium } from './lib/chromium.mjs';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';
import { randomProgram } from './lib/random-program.mjs';

const ws = new Workspace('random');
const count = Number(process.env.EXEC_RANDOM_SEEDS ?? 16);
const first = Number(process.env.EXEC_RANDOM_FIRST ?? 1);
const toolArgs = (process.env.EXEC_RANDOM_ARGS ?? '').split(' ').filter(Boolean);

const ARGUMENTS = [[0, 0], [7, -3], [1000, 12345]];
const calls = ARGUMENTS.map((args) => ['main', ...args]);
// Each run gets a worker and a deadline far above its normal time (well under a second), so a
// transform bug that loops forever fails its seed instead of hanging the suite.
const deadlineMs = 60_000;

for (let seed = first; seed < first + count; seed++) {
  test(`random program, seed ${seed}`, async () => {
    const wasm = ws.assembleText(`seed-${seed}`, randomProgram(seed));
    await threeWays(ws, wasm, { pausing: ['env.next'], minUnwinds: 0, calls, deadlineMs, oursArgs: toolArgs });
  });
}

const features = ['--enable-exceptions'];
for (let seed = first; seed < first + Math.ceil(count / 2); seed++) {
  test(`random program with exceptions, seed ${seed}`, async () => {
    const wasm = ws.assembleText(`eh-seed-${seed}`, randomProgram(seed, { exceptions: 'legacy' }), { features });
    await threeWays(ws, wasm, { pausing: ['env.next'], minUnwinds: 0, binaryen: false, features, calls, deadlineMs, oursArgs: toolArgs });
  });
}

// try_table and exnref (assembled by wabt.js), GC references (assembled by Binaryen's wasm-as,
// checked by our validator and V8): built and transformed here, run in one Chromium session.
const BINARYEN_FEATURES = ['--enable-gc', '--enable-reference-types', '--enable-simd', '--enable-multivalue',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext'];
const chromiumSeeds = Array.from({ length: Math.ceil(count / 2) }, (_, k) => first + k);
const chromiumCases = chromiumSeeds.flatMap((seed) => {
  const exnref = ws.assembleText(`exnref-seed-${seed}`, randomProgram(seed, { exceptions: 'exnref' }), { features, wabt: 'npm' });
  const gc = ws.assembleTextWithBinaryen(`gc-seed-${seed}`, randomProgram(seed, { gc: true }), { features: BINARYEN_FEATURES });
  return [
    { title: `with try_table and exnref, seed ${seed}`, original: exnref, calls,
      transformed: ws.ours(exnref, { imports: ['env.next'], args: toolArgs, validateFeatures: features, wabt: 'npm' }).wasm },
    { title: `with GC references, seed ${seed}`, original: gc, calls,
      transformed: ws.ours(gc, { imports: ['env.next'], args: toolArgs, wabt: 'none' }).wasm },
  ];
});
for (const result of await runInChromium(chromiumCases)) {
  test(`random program ${result.title} (Chromium)`, () => {
    if (result.error) assert.fail(result.error);
    assert.deepEqual(result.ours, result.original, 'our transformed module prints what the original prints');
    assert.equal(result.memoryDiffersAt, -1, 'memory ends as the original leaves it');
  });
}
