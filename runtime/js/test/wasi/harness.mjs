// Shared pieces of the WASI tests: the fixture tree, running a program under Node's built-in
// (synchronous) WASI and under ours (asynchronous), and snapshots of directory trees.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, lstatSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import { WASI, MemoryBackend, streams } from '../../src/wasi/index.js';
import { NodeBackend } from '../../src/wasi/backends/node.js';
import { instantiate as driverInstantiate } from './driver.mjs';
import { buildPrograms, OUT } from './build-programs.mjs';
import { FIXTURE, canonical } from './fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The package's runtime: src/index.js, or the package entry point that re-exports it.
const RUNTIME_ENTRIES = [resolve(here, '../../src/index.js'), resolve(here, '../../index.js')];

/** Builds the programs once per test process; returns {names, tool}. */
let built;
export function programs() {
  built ??= buildPrograms({ log: () => {} });
  return built;
}

export const wasmPath = (name, variant = 'plain') => join(OUT, variant === 'plain' ? `${name}.wasm` : `${name}.${variant}.wasm`);

export { FIXTURE, canonical };

// Fixture copies on disk, removed when the test process exits.
const fixtureDirs = [];
process.on('exit', () => {
  for (const dir of fixtureDirs) rmSync(dir, { recursive: true, force: true });
});

/** Creates a fresh copy of the fixture on disk: {root (the sandbox), base (its parent)}. */
export function makeFixtureDir({ links = true } = {}) {
  const base = mkdtempSync(join(tmpdir(), 'wasi-test-'));
  fixtureDirs.push(base);
  const root = join(base, 'sandbox');
  const write = (dir, tree) => {
    mkdirSync(dir, { recursive: true });
    for (const [name, value] of Object.entries(tree)) {
      if (typeof value === 'string') writeFileSync(join(dir, name), value);
      else write(join(dir, name), value);
    }
  };
  write(root, FIXTURE);
  writeFileSync(join(base, 'outside.txt'), 'secret outside the sandbox\n');
  if (!links) return { root, base };
  symlinkSync(base, join(root, 'escape-abs'));
  symlinkSync('..', join(root, 'escape-rel'));
  symlinkSync('../outside.txt', join(root, 'escape-file'));
  return { root, base };
}

/** The same fixture for the in-memory backend (its "outside" does not exist). */
export function makeFixtureMemory(base = '/tmp/wasi-test-XXXXXX') {
  return new MemoryBackend({
    ...FIXTURE,
    'escape-abs': { symlink: base },
    'escape-rel': { symlink: '..' },
    'escape-file': { symlink: '../outside.txt' },
  });
}

/** A directory tree as {name: Uint8Array | {…} | {symlink}} (the MemoryBackend.snapshot form). */
export function snapshotDir(dir) {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) out[name] = { symlink: readlinkSync(path) };
    else if (st.isDirectory()) out[name] = snapshotDir(path);
    else out[name] = new Uint8Array(readFileSync(path));
  }
  return out;
}

/** Runs the original module under node:wasi: {stdout, stderr, code}. */
export async function runNodeWasi(name, { args = [], env = {}, stdin = '', root }) {
  const tmp = mkdtempSync(join(tmpdir(), 'wasi-io-'));
  const files = ['stdin', 'stdout', 'stderr'].map((f) => join(tmp, f));
  writeFileSync(files[0], stdin);
  writeFileSync(files[1], '');
  writeFileSync(files[2], '');
  const [inFd, outFd, errFd] = files.map((f, i) => openSync(f, i === 0 ? 'r' : 'w'));
  try {
    const wasi = new NodeWASI({
      version: 'preview1', args: [name, ...args], env, preopens: { '/sandbox': root },
      stdin: inFd, stdout: outFd, stderr: errFd, returnOnExit: true,
    });
    const module = await WebAssembly.compile(readFileSync(wasmPath(name)));
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    const code = wasi.start(instance);
    return { code, stdout: readFileSync(files[1], 'utf8'), stderr: readFileSync(files[2], 'utf8') };
  } finally {
    [inFd, outFd, errFd].forEach((fd) => closeSync(fd));
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The runtimes that can run an asyncified module: the test driver, and the package's own when present. */
export async function runtimes() {
  const list = [{ name: 'driver', instantiate: driverInstantiate }];
  const entry = RUNTIME_ENTRIES.find((path) => existsSync(path));
  if (entry) {
    const { instantiate } = await import(entry);
    // A command module exports no allocator. wasm-ld puts data at 1024 (its default global base),
    // so [16, 1024) is never used by the program and can hold the unwind data.
    const options = { buffer: { address: 16, size: 1008 } };
    if (typeof instantiate === 'function') {
      list.push({ name: 'runtime', instantiate: (bytes, imports, extra) => instantiate(bytes, imports, { ...options, ...extra }) });
    }
  }
  return list;
}

/** Transformed variants to test: Binaryen's, and ours when built. */
export function variants() {
  return programs().tool ? ['binaryen', 'ours'] : ['binaryen'];
}

/** Runs an asyncified module under our WASI: {stdout, stderr, code}. */
export async function runOurs(name, { variant = 'binaryen', runtime, backend, args = [], env = {}, stdin = '', signal, options }) {
  const stdout = streams.collect();
  const stderr = streams.collect();
  const wasi = new WASI({
    args: [name, ...args], env, preopens: { '/sandbox': backend }, stdin, stdout, stderr, signal,
  });
  const bytes = readFileSync(wasmPath(name, variant));
  const { instance } = await runtime.instantiate(bytes, { wasi_snapshot_preview1: wasi.wasiImport }, options);
  const code = await wasi.start(instance);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export const nodeBackend = (root) => new NodeBackend(root);
