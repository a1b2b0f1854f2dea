// Differential runs of random programs (lib/random-program.mjs), three ways; with exception
// handling, ours against the original only. EXEC_RANDOM_SEEDS picks how many (default 16) and
// EXEC_RANDOM_FIRST the first seed, for longer local runs.
import { test } from 'node:test';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';
import { randomProgram } from './lib/random-program.mjs';

const ws = new Workspace('random');
const count = Number(process.env.EXEC_RANDOM_SEEDS ?? 16);
const first = Number(process.env.EXEC_RANDOM_FIRST ?? 1);

const drive = async (call, io) => {
  for (const [a, b] of [[0, 0], [7, -3], [1000, 12345]]) io.out.push(await call('main', a, b));
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
    const wasm = ws.assembleText(`eh-seed-${seed}`, randomProgram(seed, { exceptions: true }), { features });
    await threeWays(ws, wasm, { pausing: ['env.next'], minUnwinds: 0, binaryen: false, features, drive });
  });
}
