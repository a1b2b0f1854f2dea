#!/usr/bin/env node
// Writes web/screenshot.png: the shell after a few commands, in headless Chromium.
// Usage: node web/build.mjs && node web/test/screenshot.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShellPage, start } from './browser.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshot.png');
const env = await start();
try {
  const context = await env.browser.newContext({ viewport: { width: 880, height: 560 } });
  const shell = await ShellPage.open(context, env.url, 'jspi');
  for (const line of ['ls -l', 'cat fruit.txt | sort | uniq -c | sort -rn', 'calc fib.calc', 'echo "hello from wasm" > hi.txt; cat hi.txt; wc -c hi.txt']) {
    await shell.run(line);
  }
  await shell.page.keyboard.type('sleep 1');
  await shell.page.waitForTimeout(300); // let the cursor and the status line settle
  await shell.page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await env.close();
}
