// The examples every Asyncify introduction shows, run three ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('article');
const wasm = ws.compileC('article.c');

test('print A, sleep, print B', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call) => void (await call('sleep_between')),
  });
  assert.deepEqual(runs.original.out, ['A', 'B']);
  assert.equal(runs.ours.unwinds, 1);
});

test('an answer delivered by a Promise', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => void io.out.push(await call('answer')),
  });
  assert.deepEqual(runs.original.out, ['the answer is', 42, 43]);
});

test('a name read from a file through an async import', async () => {
  writeFileSync(ws.path('name.txt'), 'Ada Lovelace\n');
  const runs = await threeWays(ws, wasm, {
    baseDir: ws.dir,
    drive: async (call, io) => void io.out.push(await call('greet')),
  });
  assert.deepEqual(runs.original.out, ['Hello, Ada Lovelace!', 12]);
});
