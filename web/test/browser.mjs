// Test helpers: the static server, headless Chromium (Debian's, never downloaded) and a page
// driver that types command lines and reads the terminal through window.__shell.
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Starts the server and the browser; call close() when done. */
export async function start() {
  const { server, url } = await serve({ port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export class ShellPage {
  constructor(page) { this.page = page; }

  /** Opens the shell in a new page of `context` with the given backend. */
  static async open(context, url, backend) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    const shell = new ShellPage(page);
    shell.errors = errors;
    await shell.load(`${url}?backend=${backend}`);
    return shell;
  }

  async load(url) {
    await (url ? this.page.goto(url) : this.page.reload());
    await this.page.waitForFunction(() => window.__shell && document.body.dataset.ready === 'true');
    await this.waitForPrompt();
  }

  text() { return this.page.evaluate(() => window.__shell.text()); }

  /** Waits until the terminal's last line is a prompt. */
  async waitForPrompt(timeout = 20000) {
    await this.page.waitForFunction(() => /\$\s*$/.test(window.__shell.text().split("\n").at(-1)), null, { timeout });
  }

  completed() { return this.page.evaluate(() => window.__shell.completed); }

  /** Types `line` and Enter without waiting: for programs that read the keyboard. */
  async send(line) {
    this.mark = { completed: await this.completed(), start: (await this.text()).length };
    await this.typeLines(line);
  }

  /** Types each line and Enter into the running program (which reads the keyboard). */
  async typeLines(...lines) {
    for (const line of lines) {
      await this.page.keyboard.type(line);
      await this.page.keyboard.press('Enter');
    }
  }

  /** After send(): waits for the command to finish; returns what run() returns. */
  async finish({ timeout = 20000 } = {}) {
    await this.page.waitForFunction((n) => window.__shell.completed > n, this.mark.completed, { timeout });
    await this.waitForPrompt(timeout);
    const lines = (await this.text()).slice(this.mark.start).split('\n');
    const { status, ms } = await this.page.evaluate(() => ({ status: window.__shell.status, ms: window.__shell.last.ms }));
    return { output: lines.slice(1, -1).join('\n'), status, ms };
  }

  /**
   * Types `line` and Enter, waits for the command to finish; returns {output, status, ms}: the
   * terminal text the command printed (between its line and the next prompt).
   */
  async run(line, options) {
    await this.send(line);
    return this.finish(options); // output without the echoed command and the next prompt
  }
}
