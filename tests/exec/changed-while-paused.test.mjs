// State the host changes while a call is paused: the rewind must resume the calls in flight with
// the operands they had, exactly as the synchronous original did.
import { test } from 'node:test';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports } from './lib/three-ways.mjs';

const ws = new Workspace('changed-while-paused');
const wasm = ws.assemble('changed-while-paused.wat');

// Every call of next() moves the selector in memory (address 64) and in the global. (Changing
// the table itself while paused is out of reach of any Asyncify: a frame records the slot, not
// the function, so the rewind would enter whatever the slot holds by then.)
function makeImports(io, async) {
  const imports = standardImports(io, async);
  const next = imports.env.next;
  imports.env.next = (x) => {
    const view = new DataView(io.memory.buffer);
    view.setUint32(64, (view.getUint32(64, true) + 1) % 3, true);
    io.exports.selector.value = (io.exports.selector.value + 1) % 3;
    return next(x);
  };
  return imports;
}

const each = (name, inputs) => async (call, io) => {
  for (const x of inputs) io.out.push(await call(name, x));
};

test('call_indirect whose index is loaded from memory changed during the pause', async () => {
  await threeWays(ws, wasm, { makeImports, drive: each('index_from_memory', [5, 6, 7, 8]) });
});

test('call_indirect whose index is a global changed during the pause', async () => {
  await threeWays(ws, wasm, { makeImports, drive: each('index_from_global', [5, 6, 7, 8]) });
});

test('an argument loaded from memory changed during the pause', async () => {
  await threeWays(ws, wasm, { makeImports, drive: each('argument_from_memory', [0, 0, 0]) });
});

test('arguments rebuilt on rewind only where memory changes cannot reach them', async () => {
  const drive = async (call, io) => {
    for (const x of [4, 5]) io.out.push(await call('tee_arithmetic', x));
    for (const x of [0, 0, 0]) io.out.push(await call('tee_loaded', x));
    for (const p of [64, 64]) io.out.push(await call('address_rewritten', p));
    for (const x of [3, 8]) io.out.push(await call('immutable_base', x));
    io.out.push(await call('loop_rewrites_address', 4));
  };
  // -Os: no rewind copy of the loop, so its leading statement runs again ahead of the test.
  for (const oursArgs of [[], ['-Os']]) await threeWays(ws, wasm, { makeImports, drive, oursArgs });
});

test('a loaded value waiting on the stack while memory changes', async () => {
  await threeWays(ws, wasm, { makeImports, drive: each('stacked_load', [0, 0]) });
});

// Pausing sets the divisor to 0 and back to a huge address in turn: re-evaluating the operands
// after the pause would divide by zero or load out of bounds.
function poisoning(io, async) {
  const imports = standardImports(io, async);
  const next = imports.env.next;
  imports.env.next = (x) => {
    const { divisor } = io.exports;
    divisor.value = divisor.value === 0 ? 0x7ffffff0 : 0;
    return next(x);
  };
  return imports;
}

test('operands that would trap if evaluated again after the pause', async () => {
  await threeWays(ws, wasm, {
    makeImports: poisoning,
    drive: async (call, io) => {
      const { exports } = io;
      for (const [name, arg, divisor] of [['divide_by_global', 700, 7], ['load_at_global', 0, 64], ['indirect_by_division', 9, 3]]) {
        exports.divisor.value = divisor;
        io.out.push(await call(name, arg));
      }
    },
  });
});
