// Recursion more than a thousand frames deep, paused at the bottom and at every level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('recursion');
const wasm = ws.compileC('recursion.c');
const host = { bufferBytes: 1 << 20 };

function descend(n, salt) {
  if (n === 0) return 42 + salt;
  const below = descend(n - 1, salt ^ Math.imul(n, 7));
  return Math.imul(below, 31) ^ (n + (salt & 0xff));
}

function climb(n) {
  let value = 1n;
  for (let k = 1; k <= n; k++) {
    value = BigInt.asIntN(64, value * 3n + BigInt(nextValue(k)) - BigInt(k & 1));
  }
  return value;
}

test('2,000 frames deep, one pause at the bottom', async () => {
  const runs = await threeWays(ws, wasm, {
    host,
    drive: async (call, io) => void io.out.push(await call('deep', 2000)),
  });
  assert.deepEqual(runs.original.out, [descend(2000, 12345)]);
  assert.equal(runs.ours.unwinds, 1);
});

test('1,200 frames deep, a pause at every level on the way back up', async () => {
  const runs = await threeWays(ws, wasm, {
    host,
    drive: async (call, io) => void io.out.push(await call('pause_each_level', 1200)),
  });
  assert.deepEqual(runs.original.out, [climb(1200)]);
  assert.equal(runs.ours.unwinds, 1200);
});

// Small frames of recursive functions are saved and restored inline (a helper call per frame
// was a third of a deep pause); -Os keeps the shared helpers. Both must give the same results.
for (const [label, args, inline] of [['inline frames', [], true], ['-Os, frames through helpers', ['-Os'], false]]) {
  test(`${label}: both recursions, paused at the bottom and at every level`, async () => {
    const runs = await threeWays(ws, wasm, {
      host,
      report: true,
      oursArgs: args,
      drive: async (call, io) => {
        io.out.push(await call('deep', 1500));
        io.out.push(await call('pause_each_level', 700));
      },
    });
    assert.deepEqual(runs.original.out, [descend(1500, 12345), climb(700)]);
    for (const name of ['descend', 'climb']) {
      const facts = runs.report.functions.find((f) => f.name === name);
      assert.equal(facts.inlineFrames, inline, `${name}: inlineFrames`);
    }
  });
}

// A deep stack through a cycle of many functions spreads over all of them: inline frames would
// cost each of them their extra bytes for no more speed per frame than a short cycle gets, so
// only short cycles (at most 8 functions) keep them.
const ring = (size) => Array.from({ length: size }, (_, k) => `
  (func $${size}_${k} ${k === 0 ? `(export "ring${size}")` : ''} (param $n i32) (param $acc i32) (result i32)
    (local $t i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $next (local.get $acc)))
      (else
        (local.set $t (i32.add (i32.mul (local.get $n) (i32.const ${2 * k + 3})) (local.get $acc)))
        (i32.xor
          (call $${size}_${(k + 1) % size} (i32.sub (local.get $n) (i32.const 1)) (i32.rotl (local.get $t) (i32.const 5)))
          (local.get $t)))))`).join('');
const rings = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)${ring(3)}${ring(9)}
)`;

test('small frames on a short cycle are saved inline, on a long cycle through helpers', async () => {
  const runs = await threeWays(ws, ws.assembleText('rings', rings, { features: ['--debug-names'] }), {
    host,
    report: true,
    minUnwinds: 4,
    drive: async (call, io) => {
      for (const depth of [0, 5, 900, 1800]) {
        io.out.push(await call('ring3', depth, 7));
        io.out.push(await call('ring9', depth, 11));
      }
    },
  });
  const ringFunctions = runs.report.functions.filter((f) => /^\d+_\d+$/.test(f.name ?? ''));
  assert.equal(ringFunctions.length, 12);
  for (const f of ringFunctions) assert.equal(f.inlineFrames, f.name.startsWith('3_'), `${f.name}: inlineFrames`);
});

// Wide frames of several kinds (i32, i64, f64, seven values), on a cycle of one and of nine.
// By default they go through the shared helpers; --favor-speed (-O3) saves them inline on any
// cycle (Node 20 makes no call between wasm functions inline, and three helper calls per frame
// were half the cost of a deep pause); -Os wins over it.
const wideRing = (size) => Array.from({ length: size }, (_, k) => `
  (func $w${size}_${k} ${k === 0 ? `(export "wide${size}")` : ''} (param $n i32) (param $acc i32) (result i32)
    (local $a i32) (local $b i32) (local $c i64) (local $d i64) (local $e f64) (local $f f64) (local $g i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $next (local.get $acc)))
      (else
        (local.set $a (i32.load (i32.and (i32.mul (local.get $n) (i32.const 4)) (i32.const 1020))))
        (local.set $b (i32.add (i32.and (local.get $a) (i32.const 0xffff)) (i32.const ${k + 1})))
        (local.set $c (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const 1000003)))
        (local.set $d (i64.rotl (local.get $c) (i64.const ${k + 7})))
        (local.set $e (f64.convert_i32_s (local.get $b)))
        (local.set $f (f64.mul (local.get $e) (f64.const 0.5)))
        (local.set $g (i32.xor (local.get $a) (local.get $acc)))
        (i32.add
          (call $w${size}_${(k + 1) % size} (i32.sub (local.get $n) (i32.const 1)) (i32.rotl (local.get $g) (i32.const 3)))
          (i32.add
            (i32.add (local.get $a) (i32.mul (local.get $b) (local.get $g)))
            (i32.add (i32.wrap_i64 (i64.xor (local.get $c) (local.get $d)))
                     (i32.trunc_f64_s (f64.add (local.get $e) (local.get $f)))))))))`).join('');
const wideRings = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)${wideRing(1)}${wideRing(9)}
  (func (export "fill") (param $k i32)
    (loop $l
      (i32.store (i32.shl (local.get $k) (i32.const 2)) (i32.mul (local.get $k) (i32.const 2654435761)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
)`;

for (const [label, args, inline] of [
  ['default', [], false],
  ['-O3', ['-O3'], true],
  ['--favor-speed', ['--favor-speed', '--disable-multivalue'], true],
  ['-O3 -Os', ['-O3', '-Os'], false],
]) {
  test(`wide frames on cycles of 1 and 9, ${label}: ${inline ? 'inline' : 'through helpers'}`, async () => {
    const runs = await threeWays(ws, ws.assembleText('wide-rings', wideRings, { features: ['--debug-names'] }), {
      host,
      report: true,
      oursArgs: args,
      minUnwinds: 4,
      drive: async (call, io) => {
        await call('fill', 255);
        for (const depth of [0, 4, 700]) {
          io.out.push(await call('wide1', depth, 3));
          io.out.push(await call('wide9', depth, 5));
        }
      },
    });
    const wide = runs.report.functions.filter((f) => /^w\d+_\d+$/.test(f.name ?? ''));
    assert.equal(wide.length, 10);
    for (const f of wide) assert.equal(f.inlineFrames, inline, `${f.name}: inlineFrames`);
  });
}

// Parameters a recursive function never writes come back on rewind from its callers, which
// rebuild the arguments: $walk's own call rebuilds $n - 1, $step and $acc + $step from its
// parameters. The export, outside the recursion, saves its $n and $step once so that it can
// rebuild them too (a re-entered export gets any arguments, here garbage); every level of the
// recursion then saves only what it loaded from memory, and the site id.
const walk = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $walk (param $n i32) (param $step i32) (param $acc i32) (result i32)
    (local $t i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $next (local.get $acc)))
      (else
        (local.set $t (i32.load (i32.and (i32.mul (local.get $n) (i32.const 4)) (i32.const 1020))))
        (i32.xor
          (call $walk (i32.sub (local.get $n) (i32.const 1)) (local.get $step)
            (i32.add (local.get $acc) (local.get $step)))
          (i32.mul (local.get $t) (local.get $step))))))
  (func (export "walk") (param $n i32) (param $step i32) (result i32)
    (call $walk (local.get $n) (local.get $step) (i32.const 0)))
  (func (export "fill") (param $k i32)
    (loop $l
      (i32.store (i32.shl (local.get $k) (i32.const 2)) (i32.mul (local.get $k) (i32.const 2654435761)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
)`;

test('a recursion gets its parameters back from its callers, the export saving them once', async () => {
  const runs = await threeWays(ws, ws.assembleText('walk', walk, { features: ['--debug-names'] }), {
    host: { ...host, garbageRewindArgs: true },
    report: true,
    minUnwinds: 3,
    drive: async (call, io) => {
      await call('fill', 255);
      for (const depth of [0, 3, 1000]) io.out.push(await call('walk', depth, 5 + depth));
    },
  });
  const frame = (name) => runs.report.functions.find((f) => f.name === name).maxFrameBytes;
  assert.equal(frame('walk'), 8, '$walk saves $t and the site id');
  const entry = runs.report.functions.find((f) => f.role === 'instrumented' && f.name !== 'walk');
  assert.ok(entry.maxFrameBytes >= 8, `the export saves $n and $step: ${JSON.stringify(entry)}`);
});
