// The front end run end to end with the Binaryen stand-in for the asyncify step: splitting the
// command line must not change Binaryen's result, errors must surface as exit codes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shim = path.resolve(here, '../bin/wasm-opt');
const realWasmOpt = process.env.REAL_WASM_OPT || '/usr/bin/wasm-opt';
const dir = mkdtempSync(path.join(tmpdir(), 'front-end-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const input = path.join(dir, 'pauser.wasm');
// With a name section: asyncify's function lists match names.
execFileSync('wat2wasm', ['--debug-names', path.resolve(here, '../../already-asyncified/pauser.wat'), '-o', input]);

function runShim(args, env = {}) {
  return spawnSync(shim, args, { encoding: 'utf8', env: { ...process.env, WASM_ASYNCIFY: 'binaryen', ...env } });
}

// Command lines as Emscripten and asyncify-wasm's README write them; OUT marks the output.
const LINES = {
  emscripten: ['--strip-dwarf', '--post-emscripten', '-O2', '--low-memory-unused', '--asyncify',
    '--pass-arg=asyncify-imports@env.sleep', '--zero-filled-memory', '--strip-debug',
    '--strip-producers', 'IN', '-o', 'OUT', '--mvp-features'],
  'asyncify only': ['IN', '--asyncify', '-o', 'OUT'],
  'passes after, -g kept': ['IN', '-O1', '--asyncify', '-pa', 'asyncify-ignore-indirect', '-O3',
    '-g', '-o', 'OUT'],
  // Names must survive the intermediate files for the list to match.
  'remove-list by name': ['IN', '-O2', '--asyncify', '--pass-arg=asyncify-removelist@work', '-o', 'OUT'],
  'shrink levels': ['-Oz', 'IN', '--asyncify', '--pass-arg=asyncify-imports@env.sleep', '-o', 'OUT'],
};

for (const [name, line] of Object.entries(LINES)) {
  test(`same bytes as one wasm-opt run: ${name}`, () => {
    const fill = (out) => line.map((a) => (a === 'IN' ? input : a === 'OUT' ? out : a));
    const expected = path.join(dir, `${name}.real.wasm`);
    const actual = path.join(dir, `${name}.shim.wasm`);
    execFileSync(realWasmOpt, fill(expected));
    const r = runShim(fill(actual));
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(actual).equals(readFileSync(expected)), 'outputs differ');
  });
}

test('other command lines reach the real wasm-opt untouched', () => {
  const r = runShim(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^wasm-opt version \d+/);
  const out = path.join(dir, 'plain.wasm');
  assert.equal(runShim([input, '-O2', '-o', out]).status, 0);
  assert.ok(existsSync(out));
});

test('a failing stage makes the front end fail and write nothing', () => {
  const bad = path.join(dir, 'bad.wasm');
  execFileSync('sh', ['-c', `printf 'not wasm' > '${bad}'`]);
  const out = path.join(dir, 'never.wasm');
  const r = runShim([bad, '-O2', '--asyncify', '-o', out]);
  assert.notEqual(r.status, 0);
  assert.ok(!existsSync(out));
});

test('a missing transform is reported with what to do', () => {
  const r = runShim([input, '--asyncify', '-o', path.join(dir, 'x.wasm')],
    { WASM_ASYNCIFY: path.join(dir, 'no-such-tool') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such-tool not found.*WASM_ASYNCIFY=binaryen/s);
});
