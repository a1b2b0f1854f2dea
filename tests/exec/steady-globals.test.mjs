// Function pointers and if conditions loaded through a global that only the start function
// sets (as dynamic linking fills its GOT): the load moves down to the call or the if and runs
// again on rewind (the global holds what it held, so the address cannot trap); the call takes
// the index saved before the pause and the if its then-arm, whatever the host wrote to memory
// meanwhile. A global that other code writes, or that a start function also reachable as an
// export or a callee writes, may hold anything by then: its load is kept out of the rewind path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports } from './lib/three-ways.mjs';

const ws = new Workspace('steady-globals');

const BAD = 0x7ffffff0;  // an address past the end of the one-page memory

// Through global `g` (named `name_...`): an indirect call whose slot index is loaded from the
// address `g` holds, and an if whose pausing calls are all in its then-arm on a condition
// loaded from there (the host changes that word while paused: the rewind must take the slot
// and the arm it took before). (In an arm: at the top of a function the call's load would sit
// in the rewind prologue's else-arm, where it costs less than a select.)
const throughGlobal = (name, g) => `
  (func (export "${name}_call") (param $x i32) (result i32)
    (if (result i32) (local.get $x)
      (then (call_indirect (type $fn) (local.get $x) (i32.load (global.get ${g}))))
      (else (i32.const -1))))
  (func (export "${name}_condition") (param $x i32) (result i32)
    (local $r i32)
    (if (i32.load (global.get ${g}))
      (then (local.set $r (call $next (local.get $x)))
            (local.set $r (i32.add (local.get $r) (call $next (local.get $r))))))
    (local.get $r))`;

// $hook is set by the start function only (from memory, so that a second run of it moves it);
// $moved also by an export.
const program = ({ exportStart = false, callStart = false }) => `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (table $t 3 funcref)
  (elem (i32.const 0) $first $second $third)
  (type $fn (func (param i32) (result i32)))
  (global $hook (mut i32) (i32.const 0))
  (global $moved (mut i32) (i32.const 0))
  (func $init ${exportStart ? '(export "init")' : ''}
    (global.set $hook (i32.load (i32.const 72)))
    (global.set $moved (i32.const 68)))
  (start $init)
  ${callStart ? '(func (export "init") (call $init))' : ''}
  (func (export "move") (param $p i32) (global.set $moved (local.get $p)))
  (func $first (param $x i32) (result i32) (i32.add (call $next (local.get $x)) (i32.const 1000)))
  (func $second (param $x i32) (result i32) (i32.add (call $next (local.get $x)) (i32.const 2000)))
  (func $third (param $x i32) (result i32) (i32.sub (i32.const 0) (local.get $x)))
  ${throughGlobal('hook', '$hook')}
  ${throughGlobal('moved', '$moved')}
  ;; Arguments that an instrumented callee ignores while rewinding (rebuilt then, if that is
  ;; safe) and an address computed from the global (moved down to the call, if that is exact).
  (func $use_twice (param $v i32) (result i32)
    (local $r i32)
    (local.set $r (call $next (local.get $v)))
    (i32.add (local.get $r) (local.get $v)))
  (func (export "hook_argument") (param $x i32) (result i32)
    (i32.add (local.get $x) (call $use_twice (i32.load (global.get $hook)))))
  (func (export "hook_address") (param $x i32) (result i32)
    (i32.add (local.get $x) (call $use_twice (i32.add (global.get $hook) (i32.const 4)))))
  (data (i32.const 72) "\\40\\00\\00\\00"))`;

// While a call is in flight: the words at 64 and 68 (slot indices, conditions) flip between 0
// and 1, $moved points past the end of memory, and where the module lets the host run the
// start function again, so does $hook.
function makeImports(io, async) {
  const imports = standardImports(io, async);
  const next = imports.env.next;
  imports.env.next = (x) => {
    const view = new DataView(io.memory.buffer);
    for (const at of [64, 68]) view.setUint32(at, (view.getUint32(at, true) + 1) % 2, true);
    io.exports.move(BAD);
    if (io.exports.init) {
      view.setUint32(72, BAD, true);
      io.exports.init();
    }
    return next(x);
  };
  return imports;
}

// Before each call, both globals point at their words again, and both words hold 1.
const drive = async (call, io) => {
  for (const x of [5, 6, 7, 8]) {
    for (const name of ['hook_call', 'moved_call', 'hook_argument', 'hook_address',
      'hook_condition', 'moved_condition']) {
      const view = new DataView(io.memory.buffer);
      view.setUint32(72, 64, true);
      io.exports.init?.();
      io.exports.move(68);
      view.setUint32(64, 1, true);
      view.setUint32(68, 1, true);
      io.out.push(await call(name, x));
    }
  }
};

// Whether the export's body in our output holds `op`: `select` (a moved load, or the saved
// value while rewinding), `i32.or` (a moved condition, or the state while rewinding).
function holds(wasm, name, op) {
  const text = execFileSync('wasm2wat', [wasm], { encoding: 'utf8' });
  const index = text.match(new RegExp(`\\(export "${name}" \\(func (\\d+)\\)\\)`))[1];
  const start = text.indexOf(`(func (;${index};)`);
  const body = text.slice(start, text.indexOf('(func (;', start + 1));
  return new RegExp(`\\b${op.replace('.', '\\.')}\\b`).test(body);
}

for (const [label, variant, steady] of [
  ['set only by the start function', {}, true],
  ['set by a start function that is also exported', { exportStart: true }, false],
  ['set by a start function that is also called', { callStart: true }, false],
]) {
  test(`a function pointer loaded through a global ${label}`, async () => {
    const wasm = ws.assembleText(Object.keys(variant).join('-') || 'start-only', program(variant));
    await threeWays(ws, wasm, { makeImports, drive, minUnwinds: 32 });
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], suffix: `shape-${label.length}` });
    assert.equal(holds(out, 'hook_call', 'select'), steady);
    assert.equal(holds(out, 'moved_call', 'select'), false);
    assert.equal(holds(out, 'hook_condition', 'i32.or'), steady);
    assert.equal(holds(out, 'moved_condition', 'i32.or'), false);
  });
}
