// Guards before a pausing call that only read locals (`if (k == 0) break;`) run again on
// rewind instead of being skipped, so the locals they read must come back with the frame even
// when nothing after the call needs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('guards');
const wasm = ws.assembleText('guards', `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; k is never 0 here, and dead after the call: a rewind that did not restore it would leave
  ;; through the guard.
  (func $inner (param $n i32) (param $k i32) (result i32)
    (block $out
      (br_if $out (i32.eqz (local.get $k)))
      (br_if $out (i32.gt_u (local.get $k) (i32.const 100)))
      (return (call $next (local.get $n))))
    (i32.const -1))
  (func (export "guarded") (param $n i32) (result i32)
    (call $inner (local.get $n)
      (i32.add (i32.rem_u (local.get $n) (i32.const 7)) (i32.const 1))))
  ;; A guard in a loop that continues the loop, with the counter read after the call too.
  (func (export "guarded_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $turn
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (block $skip
        (br_if $skip (i32.and (local.get $i) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i)))))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; The guard's local changes between the guard and the call: the guard must not run again on
  ;; rewind (it would now leave, i having become odd).
  (func (export "guard_then_change") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $turn
      (block $skip
        (br_if $skip (i32.and (local.get $i) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`);

test('a guard that reads a local dead after the pausing call', async () => {
  const inputs = [0, 5, 13, 100];
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => {
      for (const n of inputs) io.out.push(await call('guarded', n));
    },
  });
  assert.deepEqual(runs.original.out, inputs.map((n) => nextValue(n)));
  assert.equal(runs.ours.unwinds, inputs.length);
});

test('a guard that continues a loop around a pausing call', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => io.out.push(await call('guarded_loop', 40)),
  });
  let acc = 0;
  for (let i = 1; i <= 40; i++) if (!(i & 1)) acc = (acc + nextValue(i)) | 0;
  assert.deepEqual(runs.original.out, [acc]);
  assert.equal(runs.ours.unwinds, 20);
});

test('a guard whose local changes before the pausing call', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => io.out.push(await call('guard_then_change', 30)),
  });
  let acc = 0;
  for (let i = 0; i < 30; ) {
    if (!(i & 1)) {
      i++;
      acc = (acc + nextValue(i)) | 0;
    }
    i++;
  }
  assert.deepEqual(runs.original.out, [acc]);
  assert.equal(runs.ours.unwinds, 15);
});
