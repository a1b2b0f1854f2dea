// Real process streams and returnOnExit: false, in a child Node process.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { programs, wasmPath } from './harness.mjs';

programs();
const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const url = (file) => pathToFileURL(join(here, file)).href;

function child(name, args, { returnOnExit, input }) {
  const script = `
    import { readFileSync } from 'node:fs';
    import { WASI } from ${JSON.stringify(url('../../src/wasi/index.js'))};
    import { instantiate } from ${JSON.stringify(url('driver.mjs'))};
    const wasi = new WASI({ args: ${JSON.stringify([name, ...args])}, stdin: process.stdin,
      stdout: process.stdout, stderr: process.stderr, returnOnExit: ${returnOnExit} });
    const { instance } = await instantiate(readFileSync(${JSON.stringify(wasmPath(name, 'binaryen'))}), wasi.getImportObject());
    const code = await wasi.start(instance);
    console.log('start() returned ' + code);
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { input, encoding: 'utf8' });
}

test('process.stdin and process.stdout as the streams', () => {
  const r = child('stdin_filter', [], { returnOnExit: true, input: 'piped\ninput text\n' });
  assert.equal(r.stdout, 'PIPED\nINPUT TEXT\nbytes=17 lines=2 words=3 eof=1\nstart() returned 0\n');
  assert.equal(r.status, 0);
});

test('returnOnExit: false ends the process with the exit code', () => {
  const r = child('exit_code', ['17'], { returnOnExit: false, input: '' });
  assert.equal(r.stdout, 'leaving with 17\n');
  assert.equal(r.stderr, 'to stderr\n');
  assert.equal(r.status, 17);
});

test('returnOnExit: true returns the exit code', () => {
  const r = child('exit_code', ['17'], { returnOnExit: true, input: '' });
  assert.equal(r.stdout, 'leaving with 17\nstart() returned 17\n');
  assert.equal(r.status, 0);
});
