// Runs modules in headless Chromium with module-runner.mjs: the engine for the feature sets that
// Node 20's V8 cannot run (GC, exnref, typed function references). One browser per differential
// run, a fresh page per module; the repository is served over localhost so that the page can
// import the runner.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../runtime/js/scripts/chromium.mjs';
import { serve } from '../../runtime/js/scripts/static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export class ChromiumRunner {
  #browser = null;
  #server = null;
  #starting = null;

  async #start() {
    this.#server = await serve(root);
    this.#browser = await launchChromium(() => import('playwright-core'));
  }

  // A page with the runner loaded, ready for `session.validate(bytes)` and `session.run(bytes, mode)`.
  async open() {
    this.#starting ??= this.#start();
    await this.#starting;
    const page = await this.#browser.newPage();
    await page.goto(`${this.#server.url}tests/exec/lib/chromium-page.html`);
    const runner = `${this.#server.url}fuzz/lib/module-runner.mjs`;
    // Module bytes cross into the page as base64.
    const b64 = (bytes) => Buffer.from(bytes).toString('base64');
    return {
      // null when V8 accepts the module, else its message.
      validate: (bytes) => page.evaluate((data) => {
        try {
          new WebAssembly.Module(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
          return null;
        } catch (e) {
          return e.message;
        }
      }, b64(bytes)),
      run: (bytes, mode, timeoutMs = 120000) => withTimeout(page.evaluate(async ({ data, runner, mode }) => {
        const { runModule } = await import(runner);
        return runModule(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)), mode);
      }, { data: b64(bytes), runner, mode }), timeoutMs),
      close: () => page.close(),
    };
  }

  async close() {
    await this.#browser?.close();
    await this.#server?.close();
  }
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ crashed: `no result after ${ms / 1000} s` }), ms);
  });
  return Promise.race([promise.catch((e) => ({ crashed: String(e.message ?? e).slice(0, 400) })), timeout])
    .finally(() => clearTimeout(timer));
}
