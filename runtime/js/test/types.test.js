// Type-checks the hand-written declarations against a usage example.
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

test('index.d.ts type-checks under --strict', (t) => {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    t.skip('typescript not installed (npm ci installs it)');
    return;
  }
  const usage = fileURLToPath(new URL('types/usage.ts', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', usage], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}${result.stderr}`);
});
