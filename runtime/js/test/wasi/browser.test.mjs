// The FileSystemDirectoryHandle backend in Chromium, on the origin-private file system: the
// programs must match Node's built-in WASI on disk, as in compare.test.mjs. Runs the original
// module under native JSPI (the package's runtime) and asyncified modules under Asyncify.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonical, makeFixtureDir, programs, runNodeWasi, snapshotDir } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = resolve(here, '../..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // reported through `skip` below
}
const missing = !playwright ? 'npm package playwright-core is not installed' : !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM}` : null;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

function serve(root) {
  const server = createServer((req, res) => {
    const path = resolve(root, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
    if (!path.startsWith(root + sep) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(path));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const CASES = [
  { name: 'args_env', args: ['5', 'x y'], env: { GREETING: 'hi', UNICODE: 'ü' } },
  { name: 'file_io' },
  { name: 'dirs' },
  { name: 'shared_file' },
  { name: 'stdin_filter', stdin: 'one two\nthree\n' },
  { name: 'sleep', args: ['20'] },
  { name: 'exit_code', args: ['9'] },
];

// The package's runtime entry, if it exists (its path as the page sees it).
const RUNTIME_ENTRY = ['src/index.js', 'index.js'].find((p) => existsSync(join(PACKAGE, p)));

let server;
let browser;
let page;

before(async () => {
  if (missing) return;
  programs();
  server = await serve(PACKAGE);
  browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(`http://localhost:${server.address().port}/test/wasi/browser/page.html`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  server?.close();
});

for (const c of CASES) {
  test(`OPFS: ${c.name} ${JSON.stringify(c.args ?? [])}`, { skip: missing ?? false }, async (t) => {
    const disk = makeFixtureDir({ links: false });
    const expected = await runNodeWasi(c.name, { ...c, root: disk.root });
    const expectedTree = canonical(snapshotDir(disk.root));
    const combos = [{ runtime: 'driver', file: `${c.name}.binaryen.wasm` }];
    if (RUNTIME_ENTRY) {
      combos.push({ runtime: 'runtime', file: `${c.name}.binaryen.wasm`, options: { buffer: { address: 16, size: 1008 } } });
      combos.push({ runtime: 'runtime', file: `${c.name}.wasm`, jspi: true });
    }
    for (const combo of combos) {
      await t.test(`${combo.runtime}, ${combo.file}`, async () => {
        const got = await page.evaluate((arg) => window.runCase(arg), { ...c, ...combo, runtimeEntry: `../../../${RUNTIME_ENTRY}` });
        if (combo.jspi) assert.equal(got.backend, 'jspi');
        assert.equal(got.stdout, expected.stdout);
        assert.equal(got.stderr, expected.stderr);
        assert.equal(got.code, expected.code);
        assert.deepEqual(got.tree, expectedTree);
      });
    }
  });
}

test('OPFS backend: errors, sparse writes, renaming a directory with an open file', { skip: missing ?? false }, async () => {
  const got = await page.evaluate(() => window.backendChecks());
  assert.deepEqual(got, {
    sizeBeforeCommit: 3,
    renameDirWithOpenFile: 'ok',
    readAfterRename: [97, 98, 99, 0, 0, 0, 90],
    symlink: 'ENOTSUP',
    link: 'ENOTSUP',
    readlinkFile: 'EINVAL',
    readlinkMissing: 'ENOENT',
    setTimes: 'ENOTSUP',
    moveIntoItself: 'EINVAL',
    rmdirNonEmpty: 'ENOTEMPTY',
    unlinkDir: 'EISDIR',
    rmdirFile: 'ENOTDIR',
    openExclusive: 'EEXIST',
    openDir: 'EISDIR',
    underFile: 'ENOTDIR',
    badName: 'EINVAL',
    listing: ['e:3'],
  });
});
