// Runs one program three ways and demands identical output:
//   original module, imports answer synchronously;
//   our transformed module, pausing imports return Promises settled by real awaits;
//   Binaryen's transformed module, same async imports (this checks the harness itself).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { PAUSING } from './imports.mjs';
import { runAsync as runBytesAsync, runSync as runBytesSync } from './run-modes.mjs';
import { load } from './toolchain.mjs';
import { runWithDeadline } from './worker-runs.mjs';

export {
  PAUSING, Io, nextValue, nextValue64, standardImports, rejectingAt, rejectingThirteen, objectImports,
} from './imports.mjs';

// Files for read_file, from the host's file system.
const nodeFiles = { read: (path) => readFile(path), readSync: (path) => readFileSync(path) };

// runSync/runAsync (run-modes.mjs) on a module file.
export const runSync = (wasm, options) => runBytesSync(load(wasm), { files: nodeFiles, ...options });
export const runAsync = (wasm, options) => runBytesAsync(load(wasm), { files: nodeFiles, ...options });

// The whole comparison: same output and, at the end, the same memory (a stray write by the
// transform shows up there). Binaryen runs first: if it disagrees with the original, the harness
// (or the program) is at fault, whatever ours does. Options:
//   drive, makeImports, baseDir, host (AbiHost options)   how to run, see runSync/runAsync
//   pausing        imports that may pause (both transformers)
//   oursArgs       extra arguments for wasm-asyncify; report: true to get its --report
//   binaryen       false where Binaryen cannot handle the program; binaryenArgs: asyncify-* pass args;
//                  binaryenOptimizeFirst: false to run -O2 after --asyncify
//   features       wabt feature flags for validation
//   minUnwinds     the async runs must have paused at least this often (default 1)
//   compareMemory  false where the program's memory may legitimately differ at the end
//   calls, deadlineMs  instead of drive: the calls to make ([[export, ...args]], each result
//                  printed), each run in a worker that fails after deadlineMs (worker-runs.mjs)
// Returns every run so tests can assert more (expected values, counts).
export async function threeWays(ws, wasm, options) {
  const {
    pausing = PAUSING, oursArgs = [], binaryenArgs = [], binaryen = true, minUnwinds = 1,
    features = [], report = false, binaryenOptimizeFirst = true, compareMemory = true, deadlineMs,
  } = options;
  const [runOriginal, runTransformed] = deadlineMs
    ? [(w) => runWithDeadline(w, 'sync', options), (w) => runWithDeadline(w, 'async', options)]
    : [(w) => runSync(w, options), (w) => runAsync(w, options)];
  const original = await runOriginal(wasm);
  let reference = null;
  if (binaryen) {
    const binaryenWasm = ws.binaryen(wasm, {
      imports: pausing, passArgs: binaryenArgs, validateFeatures: features, optimizeFirst: binaryenOptimizeFirst,
    });
    reference = await runTransformed(binaryenWasm);
    assert.deepEqual(reference.out, original.out, "Binaryen's transformed module prints what the original prints");
  }
  const oursBuild = ws.ours(wasm, { imports: pausing, args: oursArgs, validateFeatures: features, report });
  const ours = await runTransformed(oursBuild.wasm);
  assert.deepEqual(ours.out, original.out, 'our transformed module prints what the original prints');
  if (compareMemory) {
    sameMemory(ours, original, 'ours');
    if (reference) sameMemory(reference, original, 'Binaryen');
  }
  assert.ok(ours.unwinds >= minUnwinds, `ours paused ${ours.unwinds} times, expected at least ${minUnwinds}`);
  if (reference) assert.equal(reference.unwinds, ours.unwinds, 'both transforms pause equally often');
  return { original, ours, binaryen: reference, report: oursBuild.report };
}

// The program's memory ends up as the original's, apart from the pages the host added.
function sameMemory(run, original, label) {
  const a = run.memory.subarray(0, original.memory.length);
  if (Buffer.compare(a, original.memory) === 0) return;
  const first = a.findIndex((byte, k) => byte !== original.memory[k]);
  assert.fail(`${label}: memory differs from the original's at byte ${first}`);
}
