// Indirect calls through C function-pointer tables, where some targets pause and some do not.
import { test } from 'node:test';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('indirect');
const wasm = ws.compileC('indirect.c');

test('a table of pausing and plain targets called in a loop', async () => {
  await threeWays(ws, wasm, { drive: async (call, io) => void io.out.push(await call('apply_all', 400)) });
});

test('a function pointer passed as an argument', async () => {
  await threeWays(ws, wasm, {
    drive: async (call, io) => {
      for (let which = 0; which < 4; which++) io.out.push(await call('higher_order', which, 10 + which));
    },
  });
});

test('an indirect target that itself calls indirectly', async () => {
  await threeWays(ws, wasm, { drive: async (call, io) => void io.out.push(await call('two_levels', 100)) });
});
