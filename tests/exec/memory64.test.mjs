// memory64: 64-bit pointers in the data structure and in the ABI calls. Node 20 needs a V8 flag,
// set before any module is compiled. Binaryen 108's Asyncify emits invalid code for memory64, so
// ours is compared with the synchronous original only.
import v8 from 'node:v8';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
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
