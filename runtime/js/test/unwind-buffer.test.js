// Where the unwind buffer comes from, and the refusals when it cannot be located safely.
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as check from './check.mjs';
import { AsyncifyConfigError, instantiate } from '../index.js';

const bytes = (name) => readFileSync(new URL(`../build/fixtures/binaryen/${name}.wasm`, import.meta.url));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const env = {
  get_i32: async (x) => { await tick(); return x + 1; },
  get_i64: async (x) => x, get_f64: async () => 0, callback: async (x) => x,
  unlisted: () => 0, log: () => {}, pause: () => {},
};

test('an address export without a size export needs options.bufferSize', async () => {
  const options = { bufferExports: ['asyncify_buffer', 'no_such_export'] };
  await check.rejects(instantiate(bytes('semantics'), { env }, options), AsyncifyConfigError, /size is unknown/, 'no size');
  const { instance } = await instantiate(bytes('semantics'), { env }, { ...options, bufferSize: 256 });
  check.equal(await instance.exports.add_async(1), 3, 'with bufferSize');
});

test('a buffer outside the memory is refused', async () => {
  await check.rejects(instantiate(bytes('semantics'), { env }, { buffer: { address: 131000, size: 4096 } }),
    AsyncifyConfigError, /outside the memory/, 'outside');
});

test('an exported malloc is used in reactors, lazily, after _initialize', async () => {
  const log = [];
  const imports = { env: { get_number: async (i) => i, get_wide: async (x) => x } };
  const { instance } = await instantiate(bytes('program'), imports, { debug: (line) => log.push(line), bufferSize: 2048 });
  await instance.exports._initialize();
  check.ok(!log.some((l) => l.includes('malloc(')), 'not allocated by _initialize');
  check.equal(await instance.exports.sum_squares(3, 0), 14, 'result');
  check.equal(log.filter((l) => l.includes('malloc(2048)')).length, 1, 'allocated once');
  check.equal(await instance.exports.sum_squares(2, 0), 5, 'second call');
  check.equal(log.filter((l) => l.includes('malloc(2048)')).length, 1, 'still allocated once');
});

test('an allocator that is not an exported function is refused', async () => {
  const imports = { env: { get_number: async (i) => i, get_wide: async (x) => x } };
  await check.rejects(instantiate(bytes('program'), imports, { allocator: 'calloc' }), AsyncifyConfigError, /not a function/, 'allocator');
});
