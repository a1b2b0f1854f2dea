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

// The statements that open a loop body run again on rewind (they only compute locals); the
// values they computed before the pause must come back, even though their inputs changed since.
// -Os keeps small loops in one piece, so that their tops take this path; with a multi-value
// function in the module, frames come back through a multi-value helper and the overwritten
// locals are put back from shadow copies instead of scratch globals.
const loopTopWat = (extra) => `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  ${extra}
  (func (export "loop_top") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $b i32) (local $acc i32)
    (loop $turn
      (local.set $a (i32.add (local.get $i) (i32.const 1)))
      (local.set $b (i32.mul (local.get $a) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $a))))
      (local.set $acc (i32.add (local.get $acc) (i32.add (local.get $a) (local.get $b))))
      (call $print (local.get $acc))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`;
const pairFunction = '(func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2))';
for (const [label, extra, args] of [
  ['', '', []],
  [', -Os', '', ['-Os']],
  [', -Os, multi-value frames', pairFunction, ['-Os']],
]) {
  test(`pure statements at the top of a loop body, their inputs changed before the pause${label}`, async () => {
    const loopTop = ws.assembleText(`loop-top${args.join('')}${extra ? '-mv' : ''}`, loopTopWat(extra));
    const runs = await threeWays(ws, loopTop, { drive: callAll([['loop_top', 200]]), oursArgs: args });
    let i = 0, acc = 0;
    const printed = [];
    do {
      const a = (i + 1) | 0, b = Math.imul(a, 3);
      i = (i + 5) | 0;
      acc ^= nextValue(a);
      acc = (acc + a + b) | 0;
      printed.push(acc);
    } while (i >>> 0 < 200);
    assert.deepEqual(runs.original.out, [...printed, acc]);
    assert.equal(runs.ours.unwinds, 40);
  });
}

// The same in a recursive function with a small frame, whose frames are restored inline (its
// loop is too large to get a rewind copy: the bumps of a counter in memory pad it).
const bump = '(i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.const 1)))';
test('pure statements at the top of a loop body in a recursive function', async () => {
  const wasm = ws.assembleText('loop-top-recursive', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (import "env" "print_i32" (func $print (param i32)))
    (memory (export "memory") 1)
    (func $rec (export "rec") (param $n i32) (result i32)
      (local $i i32) (local $a i32)
      (loop $turn
        (local.set $a (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (call $print (i32.add (local.get $a) (call $next (local.get $a))))
        ${bump.repeat(6)}
        (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
      (if (result i32) (i32.gt_u (local.get $n) (i32.const 20))
        (then (i32.add (local.get $a) (call $rec (i32.sub (local.get $n) (i32.const 9)))))
        (else (local.get $a)))))`);
  const runs = await threeWays(ws, wasm, { drive: callAll([['rec', 60]]), report: true });
  const facts = runs.report.functions.find((f) => f.index === 2);
  assert.deepEqual([facts.inlineFrames, facts.rewindCopiedLoops], [true, 0]);
  const rec = (n) => {
    let i = 0, a = 0;
    const out = [];
    do {
      a = (i + 1) | 0;
      i = (i + 2) | 0;
      out.push((a + nextValue(a)) | 0);
    } while (i >>> 0 < n >>> 0);
    if (n > 20) {
      const [below, inner] = rec(n - 9);
      return [(a + below) | 0, [...out, ...inner]];
    }
    return [a, out];
  };
  const [value, printed] = rec(60);
  assert.deepEqual(runs.original.out, [...printed, value]);
});
