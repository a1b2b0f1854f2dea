// Locals of every value type, SIMD included, must survive pauses bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('locals');
const wasm = ws.compileC('locals.c', { flags: ['-msimd128'] });

// Frames come back through scratch globals by default (the module does not declare
// multi-value), or from one helper returning them all with --enable-multivalue.
for (const [label, oursArgs] of [['', []], [', multi-value restore', ['--enable-multivalue']]]) {
  test(`i32, i64, f32, f64 and v128 locals live across pauses${label}`, async () => {
    const runs = await threeWays(ws, wasm, {
      oursArgs,
      drive: async (call, io) => {
        io.out.push(await call('mix', 7, 1234567890123n));
        io.out.push(await call('mix', -99, -5n));
      },
    });
    assert.equal(runs.original.out.length, 2 * (19 + 16) + 2);
    assert.equal(runs.ours.unwinds, 2 * 6 * 3);
  });
}

test('parameters of every type used after pauses in the callee', async () => {
  const runs = await threeWays(ws, wasm, {
    drive: async (call, io) => {
      for (const seed of [1, 77, -5]) io.out.push(await call('params', seed));
    },
  });
  assert.equal(runs.ours.unwinds, 3 * 3 * 3);
});

// 240 locals, 48 of each type, all live across one pause: a large frame.
for (const [label, oursArgs] of [['', []], [', multi-value restore', ['-all']]]) {
  test(`a frame of 240 live locals${label}`, async () => {
    const types = ['i32', 'i64', 'f32', 'f64', 'v128'];
    const locals = [];
    const init = [];
    const fold = [];
    for (let k = 0; k < 240; k++) {
      const type = types[k % 5];
      locals.push(`(local $l${k} ${type})`);
      const c = k * 37 + 1;
      const value = type === 'v128' ? `(v128.const i32x4 ${c} ${-c} ${c * 3} 7)` : `(${type}.const ${c})`;
      init.push(`(local.set $l${k} ${value})`);
      const asI32 = {
        i32: `(local.get $l${k})`,
        i64: `(i32.wrap_i64 (i64.rotl (local.get $l${k}) (i64.const 40)))`,
        f32: `(i32.reinterpret_f32 (local.get $l${k}))`,
        f64: `(i32.wrap_i64 (i64.reinterpret_f64 (local.get $l${k})))`,
        v128: `(i32x4.extract_lane 1 (local.get $l${k}))`,
      }[type];
      fold.push(`(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) ${asI32}))`);
    }
    const big = ws.assembleText('big-frame', `(module
      (import "env" "pause" (func $pause))
      (memory (export "memory") 1)
      (func (export "f") (param $x i32) (result i32) ${locals.join(' ')} (local $acc i32)
        ${init.join('\n')}
        (local.set $l0 (local.get $x))
        (call $pause)
        ${fold.join('\n')}
        (local.get $acc)))`);
    const runs = await threeWays(ws, big, {
      oursArgs,
      drive: async (call, io) => void io.out.push(await call('f', 99)),
    });
    assert.ok(runs.ours.host.highWater >= 48 * (4 + 8 + 4 + 8 + 16), `frame of ${runs.ours.host.highWater} bytes`);
  });
}
