// Runs the engine-neutral probes (bench/lib/*-probe.mjs) inside headless Chromium, for the
// JSPI reference and for same-engine comparisons. Pages load from a made-up origin whose
// requests are answered from disk by the harness, so nothing touches the network.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = dirname(fileURLToPath(import.meta.url));
const ORIGIN = 'http://bench.invalid';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissing() {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found (install the Debian package chromium)`;
  if (!existsSync(join(LIB, '..', 'node_modules', 'playwright-core'))) {
    return 'playwright-core not installed (run npm ci in bench/)';
  }
  return null;
}

export class ChromiumSession {
  static async open() {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const session = new ChromiumSession(browser);
    await session.#init();
    return session;
  }

  constructor(browser) {
    this.browser = browser;
    this.files = new Map();
    this.version = browser.version();
  }

  async #init() {
    this.page = await this.browser.newPage();
    this.page.on('console', (msg) => { if (process.env.BENCH_VERBOSE) console.log('[chromium]', msg.text()); });
    await this.page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' });
      if (path.startsWith('/lib/')) {
        return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(LIB, path.slice(5))) });
      }
      const file = this.files.get(path);
      if (file) return route.fulfill({ contentType: 'application/wasm', body: readFileSync(file) });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await this.page.goto(`${ORIGIN}/`);
  }

  // Calls `exportName(wasmBytes, options)` from bench/lib/<probe> inside the page.
  async run(probe, exportName, wasmPath, options) {
    const key = `/wasm/${this.files.size}.wasm`;
    this.files.set(key, wasmPath);
    return this.page.evaluate(async ({ moduleUrl, exportName, wasmUrl, options }) => {
      const probe = await import(moduleUrl);
      const bytes = await (await fetch(wasmUrl)).arrayBuffer();
      return probe[exportName](bytes, options);
    }, { moduleUrl: `${ORIGIN}/lib/${probe}`, exportName, wasmUrl: `${ORIGIN}${key}`, options });
  }

  async close() {
    await this.browser.close();
  }
}
