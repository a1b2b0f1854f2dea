// Runs every shared scenario in Node on every fixture variant (each transformer's output).
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as runtime from '../index.js';
import { execute, planRuns } from './runs.mjs';
import { scenarios } from './scenarios.mjs';

const build = new URL('../build/fixtures/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', build), 'utf8'));

for (const run of planRuns(manifest, scenarios, { jspi: runtime.hasJspi() })) {
  test(run.title, { skip: run.skip }, async () => {
    const bytes = run.file ? readFileSync(new URL(run.file, build)) : null;
    await execute(run, runtime, bytes);
  });
}
