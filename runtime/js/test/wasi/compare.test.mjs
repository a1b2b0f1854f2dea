// Differential tests: each C program must print the same output, exit with the same code and
// leave the same directory tree under our asynchronous WASI (asyncified module, Node and
// in-memory backends, every available runtime and transformer) as under Node's built-in WASI
// (original module) on a copy of the same tree.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonical, makeFixtureDir, makeFixtureMemory, nodeBackend, programs, runNodeWasi, runOurs,
  runtimes, snapshotDir, variants,
} from './harness.mjs';

const ENV = { GREETING: 'hello from the host', EMPTY: '', UNICODE: 'grüße, 世界' };
const LONG_LINE = `${'x'.repeat(5000)} tail\n`;

const CASES = [
  { name: 'args_env', args: ['7', 'two words', 'ünï'], env: ENV },
  { name: 'args_env', args: [], env: {} },
  { name: 'file_io' },
  { name: 'dirs' },
  { name: 'stat_links' },
  { name: 'shared_file' },
  { name: 'stdin_filter', stdin: 'the quick brown fox\njumps over\n\nthe lazy dog' },
  { name: 'stdin_filter', stdin: `${'line of text\n'.repeat(3000)}${LONG_LINE}` },
  { name: 'stdin_filter', stdin: '' },
  { name: 'sleep', args: ['40'] },
  { name: 'exit_code', args: ['3'] },
  { name: 'exit_code', args: [] },
];

programs();
const RUNTIMES = await runtimes();

for (const c of CASES) {
  const label = `${c.name} ${JSON.stringify(c.args ?? [])}${c.stdin !== undefined ? ` stdin ${c.stdin.length} bytes` : ''}`;
  test(label, async (t) => {
    const disk = makeFixtureDir();
    const expected = await runNodeWasi(c.name, { ...c, root: disk.root });
    const expectedTree = canonical(snapshotDir(disk.root));
    for (const variant of variants()) {
      for (const runtime of RUNTIMES) {
        const toolError = variant === 'ours' ? programs().toolErrors.get(c.name) : undefined;
        await t.test(`${variant} module, ${runtime.name}, node backend`, async () => {
          if (toolError) assert.fail(toolError);
          const copy = makeFixtureDir();
          const got = await runOurs(c.name, { ...c, variant, runtime, backend: nodeBackend(copy.root) });
          assert.equal(got.stdout, expected.stdout);
          assert.equal(got.stderr, expected.stderr);
          assert.equal(got.code, expected.code);
          assert.deepEqual(canonical(snapshotDir(copy.root)), expectedTree);
        });
        await t.test(`${variant} module, ${runtime.name}, memory backend`, async () => {
          if (toolError) assert.fail(toolError);
          const backend = makeFixtureMemory(disk.base);
          const got = await runOurs(c.name, { ...c, variant, runtime, backend });
          assert.equal(got.stdout, expected.stdout);
          assert.equal(got.code, expected.code);
          assert.deepEqual(canonical(backend.snapshot()), expectedTree);
        });
      }
    }
  });
}
