// Runs cases (page-runs.mjs) in headless Chromium: the engine for what Node 20's V8 cannot run
// (try_table and exnref, typed function references in the standard encoding). The repository
// is served over localhost so that the page can import the harness and fetch the modules.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { launchChromium } from '../../../runtime/js/scripts/chromium.mjs';
import { serve } from '../../../runtime/js/scripts/static-server.mjs';
import { REPO_DIR } from './toolchain.mjs';

// cases: [{ title, original, transformed (module files), calls: [[export, ...args]], imports,
// host (AbiHost options) }].
// Resolves to one result per case: { title, original, ours (outputs), unwinds, memoryDiffersAt }
// or { title, error }.
export async function runInChromium(cases) {
  const server = await serve(REPO_DIR);
  const browser = await launchChromium(() => import('playwright-core'));
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}tests/exec/lib/chromium-page.html`);
    const url = (file) => `${server.url}${relative(REPO_DIR, file)}`;
    const planned = cases.map((c) => ({ ...c, original: url(c.original), transformed: url(c.transformed) }));
    return await page.evaluate(async ({ module, planned }) => (await import(module)).runCases(planned),
      { module: `${server.url}tests/exec/lib/page-runs.mjs`, planned });
  } finally {
    await browser.close();
    await server.close();
  }
}

// One test per result of runInChromium(cases as { title: { calls, expected } }): the original
// prints what the program means, ours prints the same, memory ends alike, and every call paused.
export function testEachCase(results, cases) {
  for (const result of results) {
    test(`Chromium: ${result.title}`, () => {
      if (result.error) assert.fail(result.error);
      assert.deepEqual(result.original, cases[result.title].expected, 'the original prints what the program means');
      assert.deepEqual(result.ours, result.original, 'our transformed module prints what the original prints');
      assert.equal(result.memoryDiffersAt, -1, 'memory ends as the original leaves it');
      assert.ok(result.unwinds >= cases[result.title].calls.length, `paused ${result.unwinds} times`);
    });
  }
}
