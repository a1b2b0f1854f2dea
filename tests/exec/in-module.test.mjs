// A runtime inside the module: it calls the `asyncify.*` imports itself, which the transform
// replaces with its own functions. The variant using asyncify.get_state is ours only (Binaryen
// rejects that import); the variant with a flag of its own runs all three ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports } from './lib/three-ways.mjs';

const ws = new Workspace('in-module');

// The original runs with the runtime imports stubbed out: no yield ever suspends, so the
// computation runs straight through and prints the same values.
function makeImports(io, async) {
  const imports = standardImports(io, async);
  if (!async) {
    const nothing = () => {};
    imports.asyncify = {
      start_unwind: nothing, stop_unwind: nothing, start_rewind: nothing, stop_rewind: nothing,
      get_state: () => 0,
    };
  }
  return imports;
}

function expectedPrints(n) {
  const out = [];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc = (acc + i) | 0;
    acc = (Math.imul(acc, 3) + 1) | 0;
    out.push(acc);
  }
  return out;
}

// Only the transformed modules really yield, twice per iteration; the yield count is kept out
// of the compared output for that reason.
function countingDrive(counts) {
  return async (call, io, { host }) => {
    io.out.push(await call('run', 25));
    counts.push([host ? 'transformed' : 'original', await call('yields')]);
  };
}

function checkRun(runs) {
  const prints = expectedPrints(25);
  assert.deepEqual(runs.original.out, [...prints, prints.at(-1)]);
}

test('an in-module scheduler using asyncify.get_state (ours)', async () => {
  const wasm = ws.assemble('in-module.wat');
  const counts = [];
  const runs = await threeWays(ws, wasm, {
    makeImports, binaryen: false, minUnwinds: 0, pausing: [], oursArgs: ['--ignore-imports'],
    compareMemory: false, // the module keeps its unwind buffer in its own memory
    drive: countingDrive(counts),
  });
  checkRun(runs);
  assert.deepEqual(counts, [['original', 0], ['transformed', 50]]);
});

test('an in-module scheduler with its own resume flag, three ways', async () => {
  const wasm = ws.assemble('in-module-flag.wat');
  const counts = [];
  const runs = await threeWays(ws, wasm, {
    makeImports, minUnwinds: 0, pausing: [], compareMemory: false,
    oursArgs: ['--ignore-imports'], binaryenArgs: ['asyncify-ignore-imports'],
    // Optimizing first would inline $yield into its callers, which would then call start_unwind
    // themselves and so count as runtime functions, never instrumented.
    binaryenOptimizeFirst: false,
    drive: countingDrive(counts),
  });
  checkRun(runs);
  assert.deepEqual(counts, [['original', 0], ['transformed', 50], ['transformed', 50]]);
});
