// Launches the system Chromium (Debian package) through playwright-core; never downloads one.

import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

// `importPlaywright` loads playwright-core from the caller's own packages (tests/exec, fuzz).
export async function launchChromium(importPlaywright = () => import('playwright-core')) {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: install the "chromium" package or set CHROMIUM_PATH');
  const { chromium } = await importPlaywright();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
