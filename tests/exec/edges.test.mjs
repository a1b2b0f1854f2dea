// Corner cases written in WAT (see programs/edges.wat), plus generated modules that stress the
// transform's size limits: deep block nesting and a function with thousands of call sites.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';
import { threeWays, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('edges');
const wasm = ws.assemble('edges.wat');

const each = (name, inputs) => async (call, io) => {
  for (const x of inputs) {
    try {
      io.out.push(await call(name, x));
    } catch (error) {
      io.out.push(['trap', error.constructor.name, error.message]);
    }
  }
};

test('NaN payloads survive a pause bit for bit', async () => {
  const snan = new DataView(new ArrayBuffer(4));
  snan.setUint32(0, 0x7fa00002);
  const runs = await threeWays(ws, wasm, { drive: each('nan_payloads', [snan.getFloat32(0)]) });
  assert.equal(runs.original.out[0], 0x7fa00001);
  assert.equal(runs.original.out[1], `${0x7ff4000000000badn}n`);
});

test('dropped and directly returned results', async () => {
  await threeWays(ws, wasm, { drive: each('dropped', [3, 4]) });
  const runs = await threeWays(ws, wasm, { drive: each('returned', [3, 40]) });
  assert.deepEqual(runs.original.out, [-nextValue(3), nextValue(40)]);
});

test('values carried out of nested blocks by br and br_if', async () => {
  await threeWays(ws, wasm, { drive: each('branch_out', [0, 1, 2, 3, 4]) });
});

test('br_table carrying a value from a pausing call', async () => {
  await threeWays(ws, wasm, { drive: each('table_value', [0, 1, 2, 3, 4, 5]) });
});

test('a trap after a pause', async () => {
  const runs = await threeWays(ws, wasm, { drive: each('maybe_trap', [3, 0, 5]) });
  assert.deepEqual(runs.original.out[1].slice(0, 2), ['trap', 'RuntimeError']);
});

test('select of v128 values around pausing calls', async () => {
  await threeWays(ws, wasm, { drive: each('vector_select', [2, 3, -8]) });
});

// 1,500 nested blocks, the pause at the bottom, every level adding to a local on the way out.
// (Values are kept in a local rather than stacked: V8 takes minutes to compile 1,500 stacked
// operands.)
test('a pause 1,500 blocks deep', async () => {
  const depth = 1500;
  let body = '(local.set $acc (call $next (local.get 0)))';
  for (let k = 0; k < depth; k++) {
    body = `(block ${body} (local.set $acc (i32.add (local.get $acc) (i32.const ${k % 7}))))`;
  }
  const nested = ws.assembleText('nested-blocks', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "f") (param i32) (result i32) (local $acc i32) ${body} (local.get $acc)))`);
  const runs = await threeWays(ws, nested, { drive: each('f', [4]) });
  let expected = nextValue(4);
  for (let k = 0; k < depth; k++) expected += k % 7;
  assert.deepEqual(runs.original.out, [expected]);
});

// One function with 3,000 pausing call sites, each with its own value live across it. Binaryen
// needs about 40 s for it at -O2, so ours is compared with the original only.
test('a function with 3,000 pausing call sites', async () => {
  const sites = 3000;
  const lines = [];
  for (let k = 0; k < sites; k++) {
    lines.push(`(local.set $acc (i32.xor (i32.mul (local.get $acc) (i32.const 3)) (call $next (i32.const ${k}))))`);
  }
  const big = ws.assembleText('many-sites', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "f") (result i32) (local $acc i32) ${lines.join('\n')} (local.get $acc)))`);
  const runs = await threeWays(ws, big, { binaryen: false, drive: async (call, io) => void io.out.push(await call('f')) });
  let acc = 0;
  for (let k = 0; k < sites; k++) acc = Math.imul(acc, 3) ^ nextValue(k);
  assert.deepEqual(runs.original.out, [acc]);
  assert.equal(runs.ours.unwinds, sites);
});

// A module with no function at all still gets the five runtime functions, and the Code section
// that holds them must come before the trailing custom sections for wabt to read the module.
test('a module without functions', async () => {
  const data = ws.compileC('no-functions.c');
  const { wasm: out } = ws.ours(data, {});
  const { instance } = await WebAssembly.instantiate(load(out));
  assert.equal(instance.exports.asyncify_get_state(), 0);
});
