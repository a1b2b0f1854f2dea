// Frames that hold values of several kinds are saved and restored one kind at a time, through
// helpers that frames of other signatures share, unless enough frames of one signature pay for
// a helper of its own. A module with forty frames of one mixed signature and single frames of
// others (f32 below the i32 values, a v128 and every other kind, none with i32 values at all):
// every value must come back, and the shared signature gets its own helpers while the single
// frames go by parts (but for a small frame of a recursive function), their f64 values through
// the i64 part helpers the module has anyway; i32 values are padded to the sizes the module's
// frames call for. Each function but the recursive one has one pausable call, so its frame
// needs no site id: one of its i32 values goes in the id's slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';
import { PAUSING } from './lib/imports.mjs';

const SHARED = 40;

// A value of each kind made from the seed, and folded into an i32 after the pause.
const KINDS = {
  i32: { make: (k) => `(i32.add (i32.mul (local.get $seed) (i32.const ${k + 3})) (i32.const ${k}))`, fold: (l) => l },
  i64: {
    make: (k) => `(i64.add (i64.mul (i64.extend_i32_u (local.get $seed)) (i64.const ${0x100000001 * (k + 1)})) (i64.const ${k}))`,
    fold: (l) => `(i32.wrap_i64 (i64.xor ${l} (i64.shr_u ${l} (i64.const 32))))`,
  },
  f64: {
    make: (k) => `(f64.add (f64.convert_i32_s (local.get $seed)) (f64.const ${k}.375))`,
    fold: (l) => `(i32.wrap_i64 (i64.xor (i64.reinterpret_f64 ${l}) (i64.shr_u (i64.reinterpret_f64 ${l}) (i64.const 32))))`,
  },
  f32: { make: (k) => `(f32.mul (f32.convert_i32_s (local.get $seed)) (f32.const ${k}.25))`, fold: (l) => `(i32.reinterpret_f32 ${l})` },
  v128: {
    make: (k) => `(i32x4.replace_lane 2 (i32x4.splat (local.get $seed)) (i32.const ${k + 11}))`,
    fold: (l) => `(i32.add (i32x4.extract_lane 0 ${l}) (i32.mul (i32x4.extract_lane 2 ${l}) (i32.const 7)))`,
  },
};

// kinds: the locals live across the pause besides $seed (which the i32 import's argument
// keeps live); wide: pause in next64 with a constant argument, so that $seed is not saved.
function func(name, kinds, { wide = false } = {}) {
  const locals = kinds.map((kind, k) => `(local $l${k} ${kind})`).join(' ');
  const sets = kinds.map((kind, k) => `    (local.set $l${k} ${KINDS[kind].make(k)})`).join('\n');
  const pause = wide
    ? '(local.set $r (i32.wrap_i64 (call $next64 (i64.const 9))))'
    : '(local.set $r (call $next (local.get $seed)))';
  const folds = kinds.map((kind, k) =>
    `    (local.set $r (i32.add (i32.mul (local.get $r) (i32.const 31)) ${KINDS[kind].fold(`(local.get $l${k})`)}))`).join('\n');
  return `  (func $${name} (export "${name}") (param $seed i32) (result i32) (local $r i32) ${locals}
${sets}
    ${pause}
${folds}
    (call $print (local.get $r))
    (local.get $r))`;
}

const singles = {
  lone_f32: [['f32', 'f32', 'i32']],
  lone_all: [['v128', 'i64', 'f64', 'f32', 'i32', 'i64']],
  lone_no_i32: [['i64', 'f64', 'i64'], { wide: true }],
};
// Recursive, with a small mixed frame (i64, f64 and three i32 locals besides $seed): one helper
// each way, since a deep stack would pay the calls of saving by kind once per frame.
const recursive = `  (func $recurse (export "recurse") (param $seed i32) (result i32)
    (local $r i32) (local $g i64) (local $f f64) (local $a i32) (local $b i32) (local $c i32)
    (local.set $g (i64.mul (i64.extend_i32_u (local.get $seed)) (i64.const 0x100000003)))
    (local.set $f (f64.div (f64.convert_i32_s (local.get $seed)) (f64.const 3)))
    (local.set $a (i32.mul (local.get $seed) (i32.const 5)))
    (local.set $b (i32.xor (local.get $seed) (i32.const 0x5555)))
    (local.set $c (i32.shr_u (local.get $seed) (i32.const 3)))
    (if (i32.gt_u (local.get $seed) (i32.const 100))
      (then (local.set $r (call $recurse (i32.shr_u (local.get $seed) (i32.const 2)))))
      (else (local.set $r (call $next (local.get $seed)))))
    (local.set $r (i32.add (i32.mul (local.get $r) (i32.const 31)) ${KINDS.i64.fold('(local.get $g)')}))
    (local.set $r (i32.add (i32.mul (local.get $r) (i32.const 31)) ${KINDS.f64.fold('(local.get $f)')}))
    (local.set $r (i32.add (i32.mul (local.get $r) (i32.const 31)) (i32.add (local.get $a) (i32.mul (local.get $b) (local.get $c)))))
    (call $print (local.get $r))
    (local.get $r))`;
const names = [...Array.from({ length: SHARED }, (_, k) => `shared${k}`), ...Object.keys(singles), 'recurse'];
const text = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "next64" (func $next64 (param i64) (result i64)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
${Array.from({ length: SHARED }, (_, k) => func(`shared${k}`, ['i64', 'i32', 'i64', 'i32'])).join('\n')}
${Object.entries(singles).map(([name, [kinds, options]]) => func(name, kinds, options)).join('\n')}
${recursive}
)
`;

const ws = new Workspace('frame-parts');
const wasm = ws.assembleText('frame-parts', text, { features: ['--debug-names'] });

const drive = async (call, io) => {
  for (const seed of [5, 123456]) for (const name of names) io.out.push(await call(name, seed));
};

// The helpers in the output, by name (the input has a name section, so the output keeps one).
const helpersOf = (path) =>
  [...execFileSync('wasm2wat', [path], { encoding: 'utf8' }).matchAll(/\(func \$(__asyncify_(?:save|restore)\w*)/g)]
    .map((m) => m[1]);

test('mixed frames: a helper of its own for a shared signature, parts for single frames', async () => {
  const runs = await threeWays(ws, wasm, { drive, oursArgs: ['--enable-multivalue'], report: true, minUnwinds: 2 * names.length });
  const out = ws.ours(wasm, { imports: PAUSING, args: ['--enable-multivalue'], suffix: 'inspect' }).wasm;
  const helpers = helpersOf(out);
  for (const kind of ['save', 'restore']) {
    assert.ok(helpers.includes(`__asyncify_${kind}_i64x2_i32x2`), `the shared signature has its own ${kind} helper`);
    assert.ok(helpers.includes(`__asyncify_${kind}_i32x2`), `a ${kind} helper for the single frames' i32 values`);
    for (const part of ['f32x2', 'v128x2', 'i64x2'])
      assert.ok(helpers.includes(`__asyncify_${kind}_part_${part}`), `single frames ${kind} their ${part} by parts`);
    // Their f64 values go through the i64 part helpers, reinterpreted: cheaper than f64 helpers.
    assert.ok(!helpers.some((h) => h.includes('part_f64')), `no f64 part ${kind} helper`);
    assert.ok(!helpers.some((h) => h.includes('f32') && h.includes('i64')), 'no helper for a single mixed frame');
    assert.ok(helpers.includes(`__asyncify_${kind}_i64x2_f64x2_i32x4`), `recurse has a ${kind} helper of its own`);
  }
  const frame = (name) => runs.report.functions.find((f) => f.name === name).maxFrameBytes;
  // i64 x 2, i32 x 3 ($seed and two locals), one of them in the id's slot.
  assert.equal(frame('shared0'), 16 + 8 + 4);
  // Two i32 values ($seed and one local), one in the id's slot, the other padded to the
  // module's size of two: one padding slot in two frames costs less than helpers for one.
  assert.equal(frame('lone_f32'), 8 + 8 + 4);
  // No i32 value to take the id's place: the id (a constant) padded to the smallest size.
  assert.equal(frame('lone_no_i32'), 16 + 16 + 8 + 4);
});

for (const oursArgs of [[], ['-Os', '--enable-multivalue']]) {
  test(`mixed frames pause and resume (${oursArgs.join(' ') || 'no multi-value: one unpack helper per frame'})`, async () => {
    await threeWays(ws, wasm, { drive, oursArgs, minUnwinds: 2 * names.length });
  });
}

// A frame holding only its site id, padded to the module's smallest i32 size (one value here,
// which ten other frames hold besides the one in their id's slot). Its rewind reads the id
// straight off the restore call to pick the site, so the padding below the id is dropped with
// the id held aside.
const idleText = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (func $idle (export "idle") (param $seed i32)
    (call $print (call $next (i32.const 3)))
    (call $print (call $next (i32.const 4))))
${Array.from({ length: 10 }, (_, k) => `  (func $one${k} (export "one${k}") (param $seed i32) (result i32) (local $t i32)
    (local.set $t (i32.xor (local.get $seed) (i32.const ${k + 40})))
    (i32.add (call $next (i32.const ${k})) (i32.add (local.get $t) (i32.mul (local.get $seed) (i32.const ${k + 2})))))`).join('\n')}
)
`;
const idle = ws.assembleText('frame-parts-idle', idleText, { features: ['--debug-names'] });

test('a frame holding only the site id, padded, rewinds to either site', async () => {
  const drive = async (call, io) => {
    await call('idle', 0);
    for (let k = 0; k < 10; k++) io.out.push(await call(`one${k}`, 5 + k));
  };
  const runs = await threeWays(ws, idle, { drive, oursArgs: ['--enable-multivalue'], report: true, minUnwinds: 12 });
  const frame = (name) => runs.report.functions.find((f) => f.name === name).maxFrameBytes;
  assert.equal(frame('idle'), 8, 'the id and one padding slot');
  assert.equal(frame('one0'), 8, '$seed and $t, one in the id\'s slot');
});
