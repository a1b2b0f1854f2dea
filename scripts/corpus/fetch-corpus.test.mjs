// Tests of scripts/fetch-corpus.sh on a manifest of made-up packages whose tarballs are placed
// where the script caches downloads, so no registry is needed: extraction of a plain file,
// capture of a wasm embedded in JavaScript, the hash check, idempotence and the size filter.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fetch-corpus.sh');
const work = mkdtempSync(join(tmpdir(), 'fetch-corpus-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

// (module (func (export "f") (result i32) i32.const 42)), optionally with a custom section so
// that two different modules can be made.
function wasmModule(tag = 0) {
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 10, 6, 1, 4, 0, 0x41, 42, 0x0b,
    0, 3, 1, 0x74, tag];
  return Uint8Array.from(bytes);
}
const sha = (b) => createHash('sha256').update(b).digest('hex');

// Writes DIR/.packages/<id>-<version>/package.tgz holding `files` under package/.
function fakePackage(dir, id, version, files) {
  const src = join(work, `src-${id}-${Math.random().toString(36).slice(2)}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(src, 'package', path)), { recursive: true });
    writeFileSync(join(src, 'package', path), content);
  }
  const pkgdir = join(dir, '.packages', `${id}-${version}`);
  mkdirSync(pkgdir, { recursive: true });
  const r = spawnSync('tar', ['-czf', join(pkgdir, 'package.tgz'), '-C', src, 'package']);
  assert.equal(r.status, 0);
}

function manifest(rows) {
  const file = join(work, `manifest-${Math.random().toString(36).slice(2)}.tsv`);
  writeFileSync(file, ['# id\tpackage\tversion\tsource\tpath\tbytes\tsha256\ttoolchain\tnote',
    ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
  return file;
}

function fetchCorpus(manifestFile, args) {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, CORPUS_MANIFEST: manifestFile } });
}

const embedded = (bytes) => `const b = Buffer.from('${Buffer.from(bytes).toString('base64')}', 'base64');
module.exports = async function load() { return WebAssembly.instantiate(b, {}); };\n`;

test('installs file and capture entries, then leaves them alone', () => {
  const dir = join(work, 'ok');
  const plain = wasmModule(1);
  const hidden = wasmModule(2);
  fakePackage(dir, 'plain', '1.0.0', { 'package.json': '{"name":"plain"}', 'dist/m.wasm': plain });
  fakePackage(dir, 'hidden', '2.0.0', { 'package.json': '{"name":"hidden","main":"index.js"}', 'index.js': embedded(hidden) });
  const m = manifest([
    ['plain', 'plain', '1.0.0', 'file', 'dist/m.wasm', plain.length, sha(plain), 'test', ''],
    ['hidden', 'hidden', '2.0.0', 'capture', 'index.js', hidden.length, sha(hidden), 'test', ''],
  ]);
  let r = fetchCorpus(m, [dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readFileSync(join(dir, 'plain.wasm')), Buffer.from(plain));
  assert.deepEqual(readFileSync(join(dir, 'hidden.wasm')), Buffer.from(hidden));
  assert.match(r.stdout, /2 installed, 0 already present, 0 failed/);
  r = fetchCorpus(m, [dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 installed, 2 already present, 0 failed/);
});

test('a hash mismatch fails loudly and installs nothing', () => {
  const dir = join(work, 'bad');
  const plain = wasmModule(3);
  fakePackage(dir, 'plain', '1.0.0', { 'package.json': '{"name":"plain"}', 'm.wasm': plain });
  const m = manifest([['plain', 'plain', '1.0.0', 'file', 'm.wasm', plain.length, sha(wasmModule(4)), 'test', '']]);
  const r = fetchCorpus(m, [dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /SHA-256 MISMATCH for plain/);
  assert.equal(existsSync(join(dir, 'plain.wasm')), false);
});

test('--max-bytes and --only select entries', () => {
  const dir = join(work, 'select');
  const small = wasmModule(5);
  const m = manifest([
    ['small', 'small', '1.0.0', 'file', 'm.wasm', small.length, sha(small), 'test', ''],
    ['large', 'large', '1.0.0', 'file', 'm.wasm', 5000000, sha(small), 'test', ''],
  ]);
  let r = fetchCorpus(m, [dir, '--max-bytes', '1000', '--list']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split('\t')[0]), ['small']);
  r = fetchCorpus(m, [dir, '--only', 'large', '--list']);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split('\t')[0]), ['large']);
  r = fetchCorpus(m, [dir, '--max-bytes', 'lots']);
  assert.equal(r.status, 2);
});

test('a capture entry whose script never compiles wasm fails', () => {
  const dir = join(work, 'nocapture');
  fakePackage(dir, 'empty', '1.0.0', { 'package.json': '{"name":"empty"}', 'index.js': 'module.exports = 1;\n' });
  const m = manifest([['empty', 'empty', '1.0.0', 'capture', 'index.js', 10, sha(wasmModule()), 'test', '']]);
  const r = fetchCorpus(m, [dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /capturing empty failed/);
});
