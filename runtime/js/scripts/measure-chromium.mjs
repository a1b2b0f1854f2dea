#!/usr/bin/env node
// Per-call costs in headless Chromium for the Asyncify and JSPI backends (build fixtures first):
//   node scripts/measure-chromium.mjs [iterations]
import { launchChromium } from './chromium.mjs';
import { serve } from './static-server.mjs';
import { packageRoot } from './toolchain.mjs';

const iterations = Number(process.argv[2] ?? 20000);
const server = await serve(packageRoot);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}scripts/measure-page.html?n=${iterations}`);
  await page.waitForFunction(() => window.measurements !== undefined, null, { timeout: 600_000 });
  const rows = await page.evaluate(() => window.measurements);
  if (rows.error) throw new Error(rows.error);
  for (const [backend, what, us] of rows) console.log(`${backend}\t${what}\t${us.toFixed(2)} us/call`);
} finally {
  await browser.close();
  await server.close();
}
