// The guest cannot leave its preopened directory: not with `..`, absolute paths, links that
// point outside (absolute or relative), nor links it creates itself. (Node's built-in WASI
// follows links out of the sandbox, so these results are checked against fixed expectations.)
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBackend, FsError } from '../../src/wasi/index.js';
import { resolvePath } from '../../src/wasi/path.js';
import { makeFixtureDir, makeFixtureMemory, nodeBackend, programs, runOurs, runtimes } from './harness.mjs';

const EXPECTED = `open /sandbox/sub/../hello.txt: opened
open /sandbox/../outside.txt: Capabilities insufficient
open /sandbox/sub/../../outside.txt: Capabilities insufficient
open /sandbox/escape-abs/outside.txt: Capabilities insufficient
open /sandbox/escape-rel/outside.txt: Capabilities insufficient
open /sandbox/escape-file: Capabilities insufficient
open /etc/passwd: Capabilities insufficient
symlink to absolute: Capabilities insufficient
symlink with ..: created
open /sandbox/sub/uplink: opened
symlink leaving: created
open /sandbox/sub/outlink: Capabilities insufficient
`;

programs();
const RUNTIMES = await runtimes();

for (const runtime of RUNTIMES) {
  test(`sandbox program on the node backend (${runtime.name})`, async () => {
    const disk = makeFixtureDir();
    const got = await runOurs('sandbox', { runtime, backend: nodeBackend(disk.root) });
    assert.equal(got.stdout, EXPECTED);
    assert.equal(got.code, 0);
    assert.equal(readFileSync(join(disk.base, 'outside.txt'), 'utf8'), 'secret outside the sandbox\n');
  });

  test(`sandbox program on the memory backend (${runtime.name})`, async () => {
    const got = await runOurs('sandbox', { runtime, backend: makeFixtureMemory() });
    assert.equal(got.stdout, EXPECTED);
  });
}

test('resolvePath: normalisation, links and escapes', async () => {
  const fs = new MemoryBackend({
    a: { b: { 'f.txt': 'x' }, up: { symlink: '../a/b' }, loop: { symlink: 'loop' }, abs: { symlink: '/a' } },
    top: { symlink: 'a/b/f.txt' },
  });
  const resolve = (base, path, follow = true) => resolvePath(fs, base, path, follow);
  const code = async (promise) => promise.then(() => 'ok', (e) => (e instanceof FsError ? e.code : String(e)));
  assert.deepEqual(await resolve('', './a//b/../b/f.txt'), { path: 'a/b/f.txt', mustBeDirectory: false });
  assert.deepEqual(await resolve('', 'a/up/f.txt'), { path: 'a/b/f.txt', mustBeDirectory: false });
  assert.deepEqual(await resolve('', 'top'), { path: 'a/b/f.txt', mustBeDirectory: false });
  assert.deepEqual(await resolve('', 'top', false), { path: 'top', mustBeDirectory: false });
  assert.deepEqual(await resolve('a', 'b/'), { path: 'a/b', mustBeDirectory: true });
  assert.deepEqual(await resolve('a', 'new-name'), { path: 'a/new-name', mustBeDirectory: false });
  assert.equal(await code(resolve('a', '..')), 'ENOTCAPABLE', 'a directory descriptor is its own root');
  assert.equal(await code(resolve('a', 'up/../../..')), 'ENOTCAPABLE');
  assert.equal(await code(resolve('', 'a/abs/b')), 'ENOTCAPABLE');
  assert.equal(await code(resolve('', 'a/loop/x')), 'ELOOP');
  assert.equal(await code(resolve('', 'a/b/f.txt/x')), 'ENOTDIR');
  assert.equal(await code(resolve('', 'a/missing/x')), 'ENOENT');
  assert.equal(await code(resolve('', '')), 'ENOENT');
  assert.equal(await code(resolve('', 'a\0b')), 'EINVAL');
});
