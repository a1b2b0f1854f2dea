// The shared scenarios and the examples page in headless Chromium (JSPI on by default there),
// served over localhost. Run with `npm run test:browser`: it builds the fixtures and examples.
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as check from './check.mjs';
import { launchChromium } from '../scripts/chromium.mjs';
import { serve } from '../scripts/static-server.mjs';
import { transformers } from '../scripts/toolchain.mjs';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
execFileSync(process.execPath, [`${repo}/runtime/js/scripts/build-fixtures.mjs`], { stdio: 'inherit' });

/** Builds the examples with one transformer; returns the error output on failure. */
function buildExamples(tool) {
  try {
    execFileSync(process.execPath, [`${repo}/examples/run.mjs`, 'all', '--build-only', '--tool', tool], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `${error.stderr ?? ''}${error.stdout ?? ''}` || error.message;
  }
}

/** Opens `url` and waits for the page to store its results in window[key]. */
async function pageResults(browser, url, key) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  try {
    await page.goto(url);
    await page.waitForFunction((k) => window[k] !== undefined, key, { timeout: 120_000 });
    const results = await page.evaluate((k) => window[k], key);
    if (results.error) throw new Error(`page failed: ${results.error}\n${errors.join('\n')}`);
    return { results, jspi: await page.evaluate(() => typeof WebAssembly.Suspending === 'function') };
  } finally {
    await page.close();
  }
}

const server = await serve(repo);
const browser = await launchChromium();
let results;
let jspi;
// Example runs per label ("asyncify/<tool>", "jspi"): results, or the reason they could not run.
const examples = {};
try {
  ({ results, jspi } = await pageResults(browser, `${server.url}runtime/js/test/browser-page.html`, '__results'));
  for (const { name: tool } of transformers()) {
    const failure = buildExamples(tool);
    examples[`asyncify/${tool}`] = failure ? { failure } : (await pageResults(browser,
      `${server.url}examples/index.html?run=all&backend=asyncify`, 'exampleResults')).results;
  }
  // The untransformed modules (examples/build/plain) do not depend on the transformer.
  examples.jspi = (await pageResults(browser, `${server.url}examples/index.html?run=all&backend=jspi`, 'exampleResults')).results;
} finally {
  await browser.close();
  await server.close();
}

const EXPECTED = {
  sleep: 'A\nB\n',
  answer: 'Waiting for the answer...\nThe answer is 42.\n',
  greet: 'Hello, World of WebAssembly!\n',
};
for (const [label, runs] of Object.entries(examples)) {
  if (runs.failure) {
    test(`chromium examples page [${label}] build`, () => { throw new Error(runs.failure); });
    continue;
  }
  for (const run of runs) {
    test(`chromium examples page [${label}] ${run.name}`, () => {
      check.equal(run.code, 0, 'exit code');
      check.equal(run.text, EXPECTED[run.name], 'output');
    });
  }
}

test('Chromium exposes JSPI (WebAssembly.Suspending / promising)', () => {
  if (!jspi) throw new Error('JSPI missing: the jspi scenarios were skipped');
});

for (const result of results) {
  test(`chromium ${result.title}`, { skip: result.status === 'skip' ? result.reason : false }, () => {
    if (result.status === 'fail') throw new Error(result.error);
  });
}
