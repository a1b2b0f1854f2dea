// Cancellation through AbortSignal: a sleeping or reading program stops promptly, the pending
// call completes with ECANCELED, and start() rejects with the signal's reason.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WASI, MemoryBackend, streams, ERRNO } from '../../src/wasi/index.js';
import { programs, runtimes, wasmPath } from './harness.mjs';

programs();
const RUNTIMES = await runtimes();

async function start(runtime, name, { args = [], ...options }) {
  const stdout = streams.collect();
  const wasi = new WASI({ args: [name, ...args], stdout, preopens: { '/sandbox': new MemoryBackend() }, ...options });
  const { instance } = await runtime.instantiate(readFileSync(wasmPath(name, 'binaryen')), wasi.getImportObject());
  return { stdout, running: wasi.start(instance) };
}

for (const runtime of RUNTIMES) {
  test(`abort stops a program sleeping for 10 s (${runtime.name})`, async () => {
    const controller = new AbortController();
    const begun = Date.now();
    const { stdout, running } = await start(runtime, 'sleep', { args: ['10000'], signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running, { name: 'AbortError' });
    const took = Date.now() - begun;
    assert.ok(took >= 90 && took < 2000, `stopped after ${took} ms`);
    // The program ran until its sleep, and nothing after the sleep reached stdout.
    assert.equal(stdout.text(), 'clock_getres: 1\n');
  });

  test(`abort stops a program waiting for stdin, with the given reason (${runtime.name})`, async () => {
    const controller = new AbortController();
    const stdin = { read: () => new Promise(() => {}) }; // never delivers
    const { running } = await start(runtime, 'stdin_filter', { stdin, signal: controller.signal });
    const reason = new Error('user pressed stop');
    setTimeout(() => controller.abort(reason), 30);
    await assert.rejects(running, (error) => error === reason);
  });

  test(`an already aborted signal runs nothing (${runtime.name})`, async () => {
    const { stdout, running } = await start(runtime, 'args_env', { signal: AbortSignal.abort() });
    await assert.rejects(running, { name: 'AbortError' });
    assert.equal(stdout.text(), '');
  });

  test(`a signal that never fires changes nothing (${runtime.name})`, async () => {
    const { stdout, running } = await start(runtime, 'sleep', { args: ['5'], signal: new AbortController().signal });
    assert.equal(await running, 0);
    assert.match(stdout.text(), /nanosleep: ok/);
  });
}

test('a pending call completes with ECANCELED and later calls throw the reason', async () => {
  const controller = new AbortController();
  const wasi = new WASI({ stdin: { read: () => new Promise(() => {}) }, signal: controller.signal });
  const memory = new WebAssembly.Memory({ initial: 1 });
  await wasi.initialize({ exports: { memory } });
  const view = new DataView(memory.buffer);
  view.setUint32(0, 100, true);
  view.setUint32(4, 10, true);
  const pending = wasi.wasiImport.fd_read(0, 0, 1, 8);
  controller.abort();
  assert.equal(await pending, ERRNO.ECANCELED);
  assert.throws(() => wasi.wasiImport.fd_write(1, 0, 1, 8), { name: 'AbortError' });
  assert.throws(() => wasi.wasiImport.args_sizes_get(0, 4), { name: 'AbortError' });
});
