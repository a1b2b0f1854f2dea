// Runs a probe in a fresh Node process so that each variant gets its own heap and JIT state:
//   node probe-child.mjs PROBE.mjs EXPORT MODULE.wasm OPTIONS_JSON WARMUP REPS
// Prints a JSON array with the results of the REPS timed calls.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [probePath, exportName, wasmPath, optionsJson, warmup, reps] = process.argv.slice(2);
const probe = await import(pathToFileURL(resolve(probePath)).href);
const bytes = readFileSync(wasmPath);
const options = JSON.parse(optionsJson);
const results = [];
for (let i = 0; i < Number(warmup) + Number(reps); i++) {
  const r = await probe[exportName](bytes, options);
  if (i >= Number(warmup)) results.push(r);
}
process.stdout.write(JSON.stringify(results));
