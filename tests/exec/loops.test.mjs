// Pauses inside control flow written in C: loops, if arms, a dense switch, nested loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('loops');
const wasm = ws.compileC('loops.c');

const callAll = (calls) => async (call, io) => {
  for (const [name, ...args] of calls) io.out.push(await call(name, ...args));
};

test('a loop of 1,000 iterations, each pausing', async () => {
  const runs = await threeWays(ws, wasm, { drive: callAll([['loop_sum', 1000]]) });
  let s = 0;
  for (let i = 0; i < 1000; i++) s = (Math.imul(s, 7) + nextValue(i)) | 0;
  assert.deepEqual(runs.original.out, [s]);
  assert.equal(runs.ours.unwinds, 1000);
});

test('pauses in both arms of an if', async () => {
  const runs = await threeWays(ws, wasm, { drive: callAll([['both_arms', 200], ['both_arms', 7]]) });
  assert.equal(runs.ours.unwinds, 207);
});

test('pauses in the arms of a dense switch', async () => {
  const runs = await threeWays(ws, wasm, { drive: callAll([['switcher', 300]]) });
  let s = 5;
  for (let i = 0; i < 300; i++) {
    switch (i % 7) {
      case 0: s = (s + nextValue(i)) | 0; break;
      case 1: s = (s - nextValue(i * 2)) | 0; break;
      case 2: s = Math.imul(s, 3); break;
      case 3: s ^= 42; break;
      case 4: s = (s + 1) | 0; break;
      case 5: s = (Math.imul(s, 5) - i) | 0; break;
      default: s = (s + nextValue(s & 0xff)) | 0;
    }
  }
  assert.deepEqual(runs.original.out, [s]);
  assert.equal(runs.ours.unwinds, 300 - Math.floor(300 / 7) - (300 % 7 > 4 ? 1 : 0));
});

test('pauses in nested loops', async () => {
  await threeWays(ws, wasm, { drive: callAll([['nested', 20, 30], ['nested', 3, 1]]) });
});

test('a loop condition that pauses', async () => {
  const runs = await threeWays(ws, wasm, { drive: callAll([['while_pausing', 60000]]) });
  assert.ok(runs.ours.unwinds > 3);
});
