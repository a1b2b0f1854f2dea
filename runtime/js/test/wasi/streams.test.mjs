// Standard streams: Node streams in and out, stdin that arrives late (poll_oneoff on fd 0),
// line-wise output, and the synchronous fast path that avoids unwinding.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { WASI, MemoryBackend, streams } from '../../src/wasi/index.js';
import { programs, runtimes, wasmPath } from './harness.mjs';

programs();
const RUNTIMES = await runtimes();

async function run(runtime, name, options) {
  const wasi = new WASI({ args: [name], preopens: { '/sandbox': new MemoryBackend() }, ...options });
  const { instance } = await runtime.instantiate(readFileSync(wasmPath(name, 'binaryen')), wasi.getImportObject());
  return wasi.start(instance);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (const runtime of RUNTIMES) {
  test(`Node Readable in, Node Writable out (${runtime.name})`, async () => {
    const stdin = Readable.from([Buffer.from('first chunk\nsec'), Buffer.from('ond chunk\n'), 'third\n'], { objectMode: false });
    const out = new PassThrough();
    const chunks = [];
    out.on('data', (c) => chunks.push(c));
    const code = await run(runtime, 'stdin_filter', { stdin, stdout: out });
    assert.equal(code, 0);
    assert.equal(Buffer.concat(chunks).toString(), 'FIRST CHUNK\nSECOND CHUNK\nTHIRD\nbytes=31 lines=3 words=5 eof=1\n');
  });

  test(`poll_oneoff waits for stdin that arrives later (${runtime.name})`, async () => {
    // Data comes 150 ms after start, then a second piece, then the end of input.
    const input = (async function* () {
      await delay(150);
      yield new TextEncoder().encode('late data');
      await delay(30);
      yield new TextEncoder().encode('tail');
    })();
    const stdout = streams.collect();
    const started = Date.now();
    const code = await run(runtime, 'poll_stdin', { stdin: streams.fromAsyncIterable(input), stdout });
    assert.equal(code, 0);
    assert.equal(stdout.text(), [
      'short poll: 0',
      'long poll: 1 readable=1',
      'read 9: late data',
      'sched_yield: 0',
      'more 4: tail',
      'end: poll 1 hangup=1 read 0',
      '',
    ].join('\n'));
    assert.ok(Date.now() - started >= 170, 'the program waited for its input');
  });

  test(`line-wise output and stdin given as a string (${runtime.name})`, async () => {
    const lines = [];
    const stdout = streams.lines((line) => lines.push(line));
    const code = await run(runtime, 'stdin_filter', { stdin: 'a b\nc', stdout });
    assert.equal(code, 0);
    assert.deepEqual(lines, ['A B', 'Cbytes=5 lines=1 words=3 eof=1']);
  });
}

test('synchronous streams complete fd_write and fd_read without a Promise', () => {
  const stdout = streams.collect();
  const wasi = new WASI({ stdin: 'xyz', stdout });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const view = new DataView(memory.buffer);
  new Uint8Array(memory.buffer).set(new TextEncoder().encode('hi!'), 100);
  view.setUint32(0, 100, true);
  view.setUint32(4, 3, true);
  assert.equal(wasi.wasiImport.fd_write(1, 0, 1, 8), 0);
  assert.equal(view.getUint32(8, true), 3);
  assert.equal(stdout.text(), 'hi!');
  view.setUint32(0, 200, true);
  view.setUint32(4, 10, true);
  assert.equal(wasi.wasiImport.fd_read(0, 0, 1, 8), 0);
  assert.equal(view.getUint32(8, true), 3);
  assert.equal(new TextDecoder().decode(new Uint8Array(memory.buffer, 200, 3)), 'xyz');
});

test('asynchronous streams make fd_write return a Promise', async () => {
  const written = [];
  const stdout = { write: async (bytes) => { await delay(5); written.push(...bytes); } };
  const wasi = new WASI({ stdout });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const view = new DataView(memory.buffer);
  new Uint8Array(memory.buffer).set([1, 2, 3, 4], 100);
  view.setUint32(0, 100, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, 102, true);
  view.setUint32(12, 2, true);
  const result = wasi.wasiImport.fd_write(1, 0, 2, 16);
  assert.equal(typeof result.then, 'function');
  assert.equal(await result, 0);
  assert.deepEqual(written, [1, 2, 3, 4]);
  assert.equal(view.getUint32(16, true), 4);
});

test('a stdin source that returns more than asked for loses nothing', () => {
  const stdout = streams.collect();
  let given = false;
  const stdin = { read: () => (given ? null : (given = true, new TextEncoder().encode('0123456789'))) };
  const wasi = new WASI({ stdin, stdout });
  const memory = new WebAssembly.Memory({ initial: 1 });
  wasi.initialize({ exports: { memory } });
  const view = new DataView(memory.buffer);
  view.setUint32(0, 100, true);
  view.setUint32(4, 4, true);
  const got = [];
  for (;;) {
    assert.equal(wasi.wasiImport.fd_read(0, 0, 1, 8), 0);
    const n = view.getUint32(8, true);
    if (n === 0) break;
    got.push(new TextDecoder().decode(new Uint8Array(memory.buffer, 100, n)));
  }
  assert.deepEqual(got, ['0123', '4567', '89']);
});
