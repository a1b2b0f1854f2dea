// With multi-value, a frame's i32 values may go to several calls of the module's i32 helpers:
// runs of s + 1 values, lowest first, each through the helper of size s with its first value in
// the id's slot, then the rest with the id. The module then needs no helper of the frame's own
// size. Restoring pops the runs in reverse, and each run's first value comes back on top: every
// value must land in its own local (each weighs on the printed result differently), parked
// references included, next to i64 and f64 values saved by their own helpers. A recursive
// function keeps one call each way (a deep stack would repeat the others), so its size stays.
// A part (one kind's values, no id) of a size few frames have goes by runs of smaller parts, and
// f64 values go through i64 part helpers (reinterpreted) where the module has those anyway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports, objectImports, PAUSING } from './lib/three-ways.mjs';

const ws = new Workspace('frame-splits');

const range = (n) => [...Array(n).keys()];
const fold = (value) => `(local.set $r (i32.add (i32.mul (local.get $r) (i32.const 31)) ${value}))`;

// A function that pauses once (in `pause`, given $seed) with these locals live across it.
const pausingFunction = (header, { i32s, i64s = 0, f64s = 0, objects = 0, pause }) => `
  (func ${header} (result i32)
    (local $r i32)
    ${range(i64s).map((k) => `(local $a${k} i64)`).join(' ')}
    ${range(f64s).map((k) => `(local $d${k} f64)`).join(' ')}
    ${range(objects).map((k) => `(local $o${k} externref)`).join(' ')}
    ${range(i32s).map((k) => `(local $l${k} i32)`).join(' ')}
    ${range(i64s).map((k) => `(local.set $a${k} (i64.mul (i64.extend_i32_u (local.get $seed)) (i64.const ${(k + 1) * 0x100000001})))`).join('\n    ')}
    ${range(f64s).map((k) => `(local.set $d${k} (f64.mul (f64.convert_i32_u (local.get $seed)) (f64.const ${k + 1.5})))`).join('\n    ')}
    ${range(objects).map((k) => `(local.set $o${k} (call $make_obj (i32.add (local.get $seed) (i32.const ${k}))))`).join('\n    ')}
    ${range(i32s).map((k) => `(local.set $l${k} (i32.add (i32.mul (local.get $seed) (i32.const ${k + 3})) (i32.const ${k})))`).join('\n    ')}
    (local.set $r ${pause})
    ${range(i64s).map((k) => fold(`(i32.wrap_i64 (i64.shr_u (local.get $a${k}) (i64.const ${k + 1})))`)).join('\n    ')}
    ${range(f64s).map((k) => fold(`(i32.trunc_sat_f64_u (local.get $d${k}))`)).join('\n    ')}
    ${range(objects).map((k) => fold(`(i32.mul (call $check_obj (local.get $o${k}) (i32.add (local.get $seed) (i32.const ${k}))) (i32.const ${k + 2}))`)).join('\n    ')}
    ${range(i32s).map((k) => fold(`(local.get $l${k})`)).join('\n    ')}
    (call $print (local.get $r))
    (local.get $r))`;

const NUMERIC = {
  i32x13: { i32s: 13 },
  i32x26: { i32s: 26 },
  i32x40: { i32s: 40 },
  i32x61: { i32s: 61 },
  mixed: { i32s: 52, i64s: 2, f64s: 1 },
  // Parts: several frames of 2 i64 values, one of 6 (saved by runs of the 2-value part).
  i64x2: { i32s: 3, i64s: 2 },
  i64x2_f64x2: { i32s: 4, i64s: 2, f64s: 2 },
  i64x6: { i32s: 5, i64s: 6 },
};
const next = '(call $next (local.get $seed))';
const numeric = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  ${Object.entries(NUMERIC).map(([name, shape]) =>
    pausingFunction(`$${name} (export "${name}") (param $seed i32)`, { ...shape, pause: next })).join('')}
  ;; Three levels deep, each with 30 values, pausing at the innermost.
  ${pausingFunction('$recurse (param $depth i32) (param $seed i32)', {
    i32s: 30,
    pause: `(if (result i32) (local.get $depth)
      (then (call $recurse (i32.sub (local.get $depth) (i32.const 1)) (i32.add (local.get $seed) (i32.const 1))))
      (else ${next}))`,
  })}
  (func (export "deep") (param $seed i32) (result i32) (call $recurse (i32.const 2) (local.get $seed))))`;

const withRefs = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (import "env" "make_obj" (func $make_obj (param i32) (result externref)))
  (import "env" "check_obj" (func $check_obj (param externref i32) (result i32)))
  (memory (export "memory") 1)
  ${pausingFunction('$objects (export "objects") (param $seed i32)', { i32s: 40, objects: 3, pause: next })}
  ${pausingFunction('$few (export "few") (param $seed i32)', { i32s: 12, pause: next })})`;

const SEEDS = [1, 77, 40000];
const drive = (names) => async (call, io) => {
  for (const seed of SEEDS) for (const name of names) io.out.push(await call(name, seed));
};

// Calls of save and restore helpers per function (names from the input's name section): of
// i32 helpers by default, else of the parts of `part` values.
function helperCalls(wasm, part) {
  const text = execFileSync('wasm-objdump', ['-d', wasm], { encoding: 'utf8' });
  const helper = new RegExp(`call \\d+ <__asyncify_(save|restore)_${part ? `part_${part}` : 'i32'}`);
  const calls = {};
  let current = null;
  for (const line of text.split('\n')) {
    const start = line.match(/^[0-9a-f]+ func\[\d+\] <(\w+)>:/);
    if (start) current = calls[start[1]] = { save: 0, restore: 0 };
    const call = line.match(helper);
    if (call && current) current[call[1]]++;
  }
  return calls;
}

for (const args of [['--enable-multivalue'], ['-Os', '--enable-multivalue'], ['--no-bounds-check', '--enable-multivalue']]) {
  test(`i32 values split over several helper calls come back in their locals (${args.join(' ')})`, async () => {
    const wasm = ws.assembleText('numeric', numeric, { features: ['--debug-names'] });
    const runs = await threeWays(ws, wasm, {
      drive: drive([...Object.keys(NUMERIC), 'deep']), oursArgs: args, minUnwinds: 18,
    });
    assert.equal(runs.ours.out.length, (Object.keys(NUMERIC).length * 2 + 4) * SEEDS.length);  // deep prints thrice
    const calls = helperCalls(wasm.replace(/\.wasm$/, '.ours.wasm'));
    // The largest frames take several calls each way; the recursive one a single call.
    for (const name of ['i32x61', 'mixed']) {
      assert.ok(calls[name].save >= 2, `${name}: ${JSON.stringify(calls[name])}`);
      assert.equal(calls[name].restore, calls[name].save, name);
    }
    assert.deepEqual(calls.recurse, { save: 1, restore: 1 });
    // The 6 i64 values by runs (the module has no part helper of 6), the 2 by one call each.
    const parts = helperCalls(wasm.replace(/\.wasm$/, '.ours.wasm'), 'i64');
    assert.ok(parts.i64x6.save >= 2, JSON.stringify(parts.i64x6));
    assert.equal(parts.i64x6.restore, parts.i64x6.save);
    assert.deepEqual(parts.i64x2, { save: 1, restore: 1 });
    // The f64 values (two frames of 2, with padding) go through the i64 part helpers.
    assert.deepEqual(parts.i64x2_f64x2, { save: 2, restore: 2 });
    const f64Parts = helperCalls(wasm.replace(/\.wasm$/, '.ours.wasm'), 'f64');
    assert.ok(Object.values(f64Parts).every((c) => c.save === 0 && c.restore === 0));
  });
}

test('parked references in split frames come back as the objects they were', async () => {
  const wasm = ws.assembleText('refs', withRefs, { features: ['--debug-names'] });
  const makeImports = (io, async) => {
    const imports = standardImports(io, async);
    Object.assign(imports.env, objectImports(io));
    return imports;
  };
  const runs = await threeWays(ws, wasm, {
    binaryen: false, pausing: PAUSING, makeImports, drive: drive(['objects', 'few']),
    oursArgs: ['--enable-multivalue', '--enable-reference-types'], minUnwinds: 6,
  });
  assert.equal(runs.ours.out.length, 2 * SEEDS.length * 2);
  const calls = helperCalls(wasm.replace(/\.wasm$/, '.ours.wasm'));
  assert.ok(calls.objects.save >= 2, JSON.stringify(calls.objects));
});
