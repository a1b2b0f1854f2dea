// Runs the scenario on the untransformed module (synchronous host, the oracle) and on each
// transformed module through each Asyncify driver; prints PASS/FAIL lines and a summary.
// Usage: [PRIOR_FAILURES=N] node check.mjs ORIGINAL.wasm LABEL=TRANSFORMED.wasm...
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as AsyncifyWasm from 'asyncify-wasm';
import { instantiate as tinyInstantiate } from './drivers/tiny-asyncify.mjs';
import { makeHost, runScenario } from './scenario.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// Our runtime's package entry (runtime/js/package.json "main"), or its source entry.
const runtimeEntry = [path.resolve(here, '../../runtime/js/index.js'),
  path.resolve(here, '../../runtime/js/src/index.js')].find((p) => existsSync(p));

const drivers = {
  // Our minimal driver in drivers/tiny-asyncify.mjs.
  'tiny-driver': async (bytes, imports) => (await tinyInstantiate(bytes, imports)).exports,
  // asyncify-wasm's documented pattern: Asyncify.instantiate, then await the wrapped exports.
  'asyncify-wasm': async (bytes, imports) => {
    const { instance } = await AsyncifyWasm.instantiate(bytes, imports);
    return instance.exports;
  },
};
if (runtimeEntry) {
  // Our runtime exposes an asyncify-wasm compatible instantiate.
  const runtime = await import(pathToFileURL(runtimeEntry).href);
  if (typeof runtime.instantiate === 'function') {
    drivers['runtime/js'] = async (bytes, imports) => {
      const result = await runtime.instantiate(bytes, imports);
      return (result.instance ?? result).exports;
    };
  }
}

const [originalPath, ...transformed] = process.argv.slice(2);
const originalBytes = await readFile(originalPath);
const oracleHost = makeHost({ async: false });
const { instance: oracle } = await WebAssembly.instantiate(originalBytes, oracleHost.imports);
const expected = await runScenario((name, args) => oracle.exports[name](...args), oracleHost);
console.log(`oracle: ${expected.results.join(' ')}`);

let passed = 0;
let failed = Number(process.env.PRIOR_FAILURES ?? 0);  // transforms that failed before this step
for (const spec of transformed) {
  const [label, file] = spec.split('=');
  const bytes = await readFile(file);
  for (const [driverName, load] of Object.entries(drivers)) {
    const host = makeHost({ async: true });
    let actual;
    try {
      const exports = await load(bytes, host.imports);
      actual = await runScenario((name, args) => exports[name](...args), host);
    } catch (error) {
      actual = { error: String(error) };
    }
    if (isDeepStrictEqual(actual, expected)) {
      passed++;
      console.log(`PASS ${label} via ${driverName}`);
    } else {
      failed++;
      console.log(`FAIL ${label} via ${driverName}\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
