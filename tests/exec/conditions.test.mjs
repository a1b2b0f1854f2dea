// Ifs on a rewind path whose conditions are computed again on rewind (no arm selector saved),
// and ifs whose sites are all in one arm (the arm is implied while rewinding).
// Each function pauses in several arms; the report must show which conditions were recomputed,
// so a change of heuristics cannot empty these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('conditions');
const wasm = ws.assemble('conditions.wat');

const drive = async (call, io) => {
  io.out.push(await call('arms', 9));
  for (const x of [3, 4, 5, 200, 201, 202, 4000000]) io.out.push(await call('dead', x));
  for (const [a, b] of [[6, 1], [4, 1], [2, 3], [1, 9], [7, 7]]) io.out.push(await call('nested', a, b));
  for (const i of [2, 9]) io.out.push(await call('written', i));
  for (const x of [1, 2, 3, 4, 50]) io.out.push(await call('one_arm', x));
  for (const i of [3, 30, 45]) io.out.push(await call('after', i));
  for (const i of [30, 45]) io.out.push(await call('looped', i));
};

// The module has no name section: functions are found by index (after the two imports).
const FUNCTIONS = ['arms', 'dead', 'nested', 'one_arm', 'after', 'looped', 'written'];
const recomputed = (report, name) =>
  report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf(name))?.recomputedConditions;

for (const [label, oursArgs] of [['', []], [', -Os', ['-Os']]]) {
  test(`conditions computed again on rewind pick the same arm${label}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, minUnwinds: 20 });
    assert.equal(recomputed(runs.report, 'arms'), 1);
    assert.equal(recomputed(runs.report, 'dead'), 2);
    assert.equal(recomputed(runs.report, 'nested'), 3);
    assert.equal(recomputed(runs.report, 'one_arm'), 0);
    assert.equal(recomputed(runs.report, 'after'), 1);
    assert.equal(recomputed(runs.report, 'looped'), 0);
    assert.equal(recomputed(runs.report, 'written'), 0);
  });
}

// Ifs typed by a function type (several results, or parameters) are not recomputed as above:
// their condition, an expression of locals that nothing reads after the pause, is emitted
// again at the if's landing, so those locals must come back with the frame all the same.
// (Binaryen 108 cannot read an if with parameters: ours is compared with the original only.)
const TYPED_IFS = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "two_results") (param $x i32) (result i32) (local $c i32)
    (local.set $c (i32.mul (local.get $x) (i32.const 3)))
    (if (result i32 i32) (i32.eqz (local.get $c))
      (then (i32.const 1) (i32.const 2))
      (else (call $next (local.get $x)) (i32.const 3)))
    (i32.add))
  (func (export "with_param") (param $x i32) (result i32) (local $c i32)
    (local.set $c (i32.and (local.get $x) (i32.const 1)))
    (i32.const 100)
    (if (param i32) (result i32) (i32.xor (local.get $c) (i32.const 1))
      (then (i32.add (call $next (local.get $x))))
      (else (i32.sub (call $next (i32.add (local.get $x) (i32.const 1)))))))
)`;

test('conditions of ifs with block types come back for the rewind', async () => {
  const module = ws.assembleText('typed-ifs', TYPED_IFS);
  const xs = [0, 1, 2, 7];
  await threeWays(ws, module, {
    drive: async (call, io) => {
      for (const x of xs) io.out.push(await call('two_results', x), await call('with_param', x));
    },
    minUnwinds: 2 * xs.length - 1,
    binaryen: false,
  });
});
