// Runs the shared scenarios inside a page, on every fixture variant and with both backends.
import * as runtime from '../index.js';
import { execute, planRuns } from './runs.mjs';
import { scenarios } from './scenarios.mjs';

export async function runAll() {
  const build = new URL('../build/fixtures/', import.meta.url);
  const manifest = await (await fetch(new URL('manifest.json', build))).json();
  const results = [];
  for (const run of planRuns(manifest, scenarios, { jspi: runtime.hasJspi() })) {
    if (run.skip) {
      results.push({ title: run.title, status: 'skip', reason: run.skip });
      continue;
    }
    try {
      const bytes = run.file ? await (await fetch(new URL(run.file, build))).arrayBuffer() : null;
      await execute(run, runtime, bytes);
      results.push({ title: run.title, status: 'pass' });
    } catch (error) {
      results.push({ title: run.title, status: 'fail', error: String(error?.stack ?? error) });
    }
  }
  return results;
}
