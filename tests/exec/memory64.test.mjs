// memory64: 64-bit pointers in the data structure and in the ABI calls. Node 20 needs a V8 flag,
// set before any module is compiled. Binaryen 108's Asyncify emits invalid code for memory64, so
// ours is compared with the synchronous original only.
import v8 from 'node:v8';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Workspace, PROGRAMS_DIR } from './lib/toolchain.mjs';
import { threeWays, nextValue, nextValue64 } from './lib/three-ways.mjs';

v8.setFlagsFromString('--experimental-wasm-memory64');

const features = ['--enable-memory64'];
const ws = new Workspace('memory64');
const wasm = ws.assemble('memory64.wat', { features });

test('a memory64 module pauses and resumes', async () => {
  const runs = await threeWays(ws, wasm, {
    binaryen: false,
    features,
    drive: async (call, io, { host }) => {
      if (host) io.out.push(['memory64', host.memory64]);
      else io.out.push(['memory64', true]);
      io.out.push(await call('run', 20));
      io.out.push(await call('store_after', 4096n));
    },
  });
  let acc = 0;
  for (let i = 0; i < 20; i++) acc += nextValue(i);
  assert.equal(runs.original.out.at(-2), acc);
  assert.equal(runs.original.out.at(-1), nextValue64(4096n));
  assert.equal(runs.ours.unwinds, 21);
});

// Frames saved through chains of helpers and the shared reserve/release functions, with 64-bit
// frame pointers: helper-chains.wat with its memory made 64-bit.
test('chained frame helpers with a 64-bit buffer', async () => {
  const text = readFileSync(join(PROGRAMS_DIR, 'helper-chains.wat'), 'utf8')
    .replace('(memory (export "memory") 1)', '(memory (export "memory") i64 1)');
  assert.ok(text.includes(' i64 1)'), 'the program has the memory this test widens');
  const chains = ws.assembleText('helper-chains64', text, { features: [...features, '--debug-names'] });
  const names = ['i32x10', 'i32x20', 'i32x40', 'i64x2_i32x10', 'i64x2_f64_i32x10', 'i32x80'];
  for (const oursArgs of [[], ['--enable-multivalue']]) {
    const runs = await threeWays(ws, chains, {
      binaryen: false,
      features,
      oursArgs,
      minUnwinds: 2 * names.length,
      drive: async (call, io) => {
        for (const seed of [1, 40000]) for (const name of names) io.out.push(await call(name, seed));
      },
    });
    assert.equal(runs.original.out.length, 4 * names.length);  // what each call prints, and its result
  }
  // (Without multi-value: one unpack helper per frame signature, enough to share both.)
  const out = ws.ours(chains, { imports: ['env.next'], validateFeatures: features, suffix: 'inspect' }).wasm;
  const wat = execFileSync('wasm2wat', ['--enable-memory64', out], { encoding: 'utf8' });
  assert.match(wat, /\(func \$__asyncify_reserve \(type \d+\) \(param i64\) \(result i64\)/);
  assert.match(wat, /\(func \$__asyncify_release /);
});
