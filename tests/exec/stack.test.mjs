// Values left on the operand stack across a pause, written in WAT where C cannot place them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('stack');
const wasm = ws.assemble('stack.wat');
const blockParams = ws.assemble('block-params.wat');

const each = (name, inputs) => async (call, io) => {
  for (const x of inputs) io.out.push(await call(name, x));
};

test('a local read before the pausing call stays on the stack', async () => {
  const runs = await threeWays(ws, wasm, { drive: each('operand_before', [1, -7, 1 << 30]) });
  assert.deepEqual(runs.original.out, [1, -7, 1 << 30].map((x) => (x + nextValue(5)) | 0));
});

test('several stacked operands of mixed types', async () => {
  await threeWays(ws, wasm, { drive: each('many_operands', [3, -12, 400000]) });
});

test('calls as block results', async () => {
  await threeWays(ws, wasm, { drive: each('block_results', [0, 9, -3]) });
});

test('calls nested in expressions, if arms and select', async () => {
  await threeWays(ws, wasm, { drive: each('nested_expr', [0, 1, 2, 3, 255]) });
});

test('pausing calls as if and br_if conditions', async () => {
  await threeWays(ws, wasm, { drive: each('pausing_conditions', [0, 1, 2, 5, 6]) });
});

test('br_table arms that pause, indexed by a pausing call', async () => {
  const runs = await threeWays(ws, wasm, { drive: each('table_arms', [50, 3]) });
  assert.ok(runs.ours.unwinds > 100);
});

// Binaryen 108 cannot even read blocks with parameters: ours against the original only.
test('a loop with a parameter accumulating on the operand stack', async () => {
  const runs = await threeWays(ws, blockParams, { binaryen: false, drive: each('stack_loop', [100]) });
  let s = 0;
  for (let i = 0; i < 100; i++) s = (s + nextValue(i)) | 0;
  assert.deepEqual(runs.original.out, [s]);
});

test('call_indirect operands below a pausing call', async () => {
  await threeWays(ws, wasm, { drive: each('indirect_operands', [4, 5]) });
});

test('pauses in a function without result', async () => {
  const runs = await threeWays(ws, wasm, { drive: each('print_after', [10]) });
  assert.deepEqual(runs.original.out, [10 + nextValue(10), 42, undefined]);
});

// Values pushed more than 1,024 instructions before the pausing call above them lie past the
// transform's rematerialization walk: they are spilled instead, and must come back all the same.
test('operands pushed far before the pausing call above them', async () => {
  const work = 'local.get 1 i32.const 3 i32.add local.set 1\n'.repeat(400);
  const far = ws.assembleText('far-operands', `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "far_operands") (param i32) (result i32) (local i32)
    local.get 0 i32.const 7 i32.mul
    local.get 0
    ${work}
    local.get 1 call $next
    i32.add i32.add local.get 1 i32.add))`);
  const runs = await threeWays(ws, far, { drive: each('far_operands', [2, -5]) });
  assert.deepEqual(runs.original.out,
    [2, -5].map((x) => (x * 7 + x + nextValue(1200) + 1200) | 0));
});
