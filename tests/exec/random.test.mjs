// Differential runs of random programs (lib/random-program.mjs), three ways; with exception
// handling, ours against the original only (legacy handling in Node, try_table and exnref in
// Chromium). EXEC_RANDOM_SEEDS picks how many (default 16) and EXEC_RANDOM_FIRST the first seed,
// for longer local runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChromium } from './lib/chromium.mjs';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';
import { randomProgram } from './lib/random-program.mjs';

const ws = new Workspace('random');
const count = Number(process.env.EXEC_RANDOM_SEEDS ?? 16);
const first = Number(process.env.EXEC_RANDOM_FIRST ?? 1);

const ARGUMENTS = [[0, 0], [7, -3], [1000, 12345]];
const drive = async (call, io) => {
  for (const [a, b] of ARGUMENTS) io.out.push(await call('main', a, b));
};

for (let seed = first; seed < first + count; seed++) {
  test(`random program, seed ${seed}`, async () => {
    const wasm = ws.assembleText(`seed-${seed}`, randomProgram(seed));
    await threeWays(ws, wasm, { pausing: ['env.next'], minUnwinds: 0, drive });
  });
}

const features = ['--enable-exceptions'];
for (let seed = first; seed < first + Math.ceil(count / 2); seed++) {
  test(`random program with exceptions, seed ${seed}`, async () => {
    const wasm = ws.assembleText(`eh-seed-${seed}`, randomProgram(seed, { exceptions: 'legacy' }), { features });
    await threeWays(ws, wasm, { pausing: ['env.next'], minUnwinds: 0, binaryen: false, features, drive });
  });
}

// try_table and exnref: built and transformed here, run in one Chromium session.
const exnrefSeeds = Array.from({ length: Math.ceil(count / 2) }, (_, k) => first + k);
const exnrefCases = exnrefSeeds.map((seed) => {
  const wasm = ws.assembleText(`exnref-seed-${seed}`, randomProgram(seed, { exceptions: 'exnref' }), { features, wabt: 'npm' });
  const { wasm: ours } = ws.ours(wasm, { imports: ['env.next'], validateFeatures: features, wabt: 'npm' });
  return { title: String(seed), original: wasm, transformed: ours, calls: ARGUMENTS.map((args) => ['main', ...args]) };
});
const exnrefResults = await runInChromium(exnrefCases);
for (const result of exnrefResults) {
  test(`random program with try_table and exnref, seed ${result.title} (Chromium)`, () => {
    if (result.error) assert.fail(result.error);
    assert.deepEqual(result.ours, result.original, 'our transformed module prints what the original prints');
    assert.equal(result.memoryDiffersAt, -1, 'memory ends as the original leaves it');
  });
}
