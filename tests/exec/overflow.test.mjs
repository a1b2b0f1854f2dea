// An unwind buffer that is too small must end in a clean trap. Ours checks before writing, so
// nothing outside the buffer changes; Binaryen writes past the end and traps at the next ABI
// call, which shows that the memory check below does see stray writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';
import { runAsync, standardImports, PAUSING } from './lib/three-ways.mjs';
import { AbiHost } from './abi-host.mjs';

const ws = new Workspace('overflow');
const wasm = ws.compileC('recursion.c');
const DEPTH = 300;
const variants = {
  ours: ws.ours(wasm, { imports: PAUSING }).wasm,
  Binaryen: ws.binaryen(wasm, { imports: PAUSING }),
};
const GUARD = 0xa5;

// The bytes the unwind at DEPTH needs, measured with a roomy buffer.
async function neededBytes(file) {
  const run = await runAsync(file, { drive: async (call) => void (await call('deep', DEPTH)) });
  assert.ok(run.host.highWater > DEPTH * 4, `frames of ${DEPTH} levels take ${run.host.highWater} bytes`);
  return run.host.highWater;
}

// Runs deep(DEPTH) with a buffer of `bytes` placed by the host at the start of fresh pages at the
// end of memory; every byte after the buffer is filled with a guard pattern first.
async function runWithBuffer(file, bytes, name = 'deep', arg = DEPTH) {
  const host = new AbiHost({ bufferBytes: bytes });
  await host.instantiate(load(file), standardImports({ out: [] }, true));
  const { dataAddress } = host;
  assert.ok(host.memory.buffer.byteLength - (dataAddress + 8 + bytes) >= 1024, 'room for a guard zone');
  const end = dataAddress + 8 + bytes;
  const memory = new Uint8Array(host.memory.buffer);
  memory.fill(GUARD, end);
  const before = memory.slice();
  let outcome;
  try {
    outcome = { value: await host.call(name, arg) };
  } catch (error) {
    outcome = { error };
  }
  const after = new Uint8Array(host.memory.buffer);
  const changed = [];
  for (let k = 0; k < before.length; k++) {
    const inData = k >= dataAddress && k < end;
    if (!inData && before[k] !== after[k]) changed.push(k);
  }
  return { ...outcome, changed, end };
}

for (const [label, file] of Object.entries(variants)) {
  test(`a buffer of exactly the needed size is enough (${label})`, async () => {
    const needed = await neededBytes(file);
    const run = await runWithBuffer(file, needed);
    assert.equal(run.error, undefined, String(run.error));
    assert.equal(typeof run.value, 'number');
    assert.deepEqual(run.changed, []);
  });

  test(`a buffer one word too small traps with a RuntimeError (${label})`, async () => {
    const needed = await neededBytes(file);
    const run = await runWithBuffer(file, needed - 4);
    assert.ok(run.error instanceof WebAssembly.RuntimeError, `expected a RuntimeError, got ${run.error ?? run.value}`);
    if (label === 'ours') {
      assert.deepEqual(run.changed.slice(0, 16), [], 'no byte outside the buffer may change');
    } else {
      assert.ok(run.changed.length > 0 && run.changed.every((k) => k >= run.end), 'Binaryen writes past the end');
    }
  });

  test(`a buffer far too small traps before touching memory (${label})`, async () => {
    const run = await runWithBuffer(file, 16);
    assert.ok(run.error instanceof WebAssembly.RuntimeError, `expected a RuntimeError, got ${run.error ?? run.value}`);
    if (label === 'ours') assert.deepEqual(run.changed.slice(0, 16), []);
    else assert.ok(run.changed.length > 0);
  });
}

// A large frame saved by several helpers: without multi-value a chain, each helper handing the
// end of the frame to a smaller one, which pushes it first, then checks and pushes its own
// values; with it, one helper called for each run of values in turn (see frame-splits.test.mjs),
// each checking its own part. A buffer that holds no part, or the first parts but not the rest,
// or all but the last word, must trap with nothing written outside it.
const chains = ws.assemble('helper-chains.wat');
for (const features of [[], ['--enable-multivalue']]) {
  test(`a large chained frame that does not fit writes nothing outside the buffer (${features.join(' ') || 'no multi-value'})`, async () => {
    const file = ws.ours(chains, { imports: PAUSING, args: features }).wasm;
    const frame = features.length ? 352 : 388;  // the i32x80 frame (see helper-chains.test.mjs)
    for (const bytes of [64, 200, frame - 4]) {
      const run = await runWithBuffer(file, bytes, 'i32x80', 5);
      assert.ok(run.error instanceof WebAssembly.RuntimeError, `${bytes} bytes: expected a RuntimeError, got ${run.error ?? run.value}`);
      assert.deepEqual(run.changed.slice(0, 16), [], `${bytes} bytes`);
    }
    const run = await runWithBuffer(file, frame, 'i32x80', 5);
    assert.equal(run.error, undefined, String(run.error));
    assert.deepEqual(run.changed, []);
  });
}
