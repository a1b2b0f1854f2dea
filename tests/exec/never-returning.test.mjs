// Pausable functions whose results include a type without values ((ref none), (ref nofunc))
// never return normally; when only direct calls reach them, their results become nullable so
// that they can return while unwinding. Run in Chromium: Node 20's V8 has no standard GC, and
// no wabt reads it, so the module is committed as programs/never-returning.bin (its source and
// the command that made it: programs/never-returning.wat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInChromium, testEachCase } from './lib/chromium.mjs';
import { PROGRAMS_DIR, Workspace, validate } from './lib/toolchain.mjs';
import { nextValue } from './lib/three-ways.mjs';

const FEATURES = ['--enable-gc', '--enable-reference-types', '--enable-exception-handling',
  '--enable-multivalue', '--enable-tail-call'];
const ws = new Workspace('never-returning');
const wasm = ws.path('never-returning.wasm');
copyFileSync(join(PROGRAMS_DIR, 'never-returning.bin'), wasm);
const { wasm: ours, report } = ws.ours(wasm, { imports: ['env.next'], wabt: 'none', report: true });

// next(x) = 3x + 1; $throws_after_pauses(x) prints next(x) and throws next(x) + next(x + 1).
const thrown = (x) => nextValue(x) + nextValue(x + 1);
const CASES = {
  'a function returning (ref none) pauses twice and throws; its caller catches': {
    calls: [0, 4, -3].map((x) => ['caught', x]),
    expected: [0, 4, -3].flatMap((x) => [nextValue(x), thrown(x)]),
  },
  'the same reached by a tail call from another function returning (ref none)': {
    calls: [1, 5].map((x) => ['caught_after_tail_call', x]),
    expected: [1, 5].flatMap((x) => [nextValue(2 * x), thrown(2 * x)]),
  },
  'a caller that pauses first and reads the result (code that never runs)': {
    calls: [2, 7].map((x) => ['result_read', x]),
    expected: [2, 7].flatMap((x) => {
      const before = nextValue(x);
      return [nextValue(before), before + thrown(before)];
    }),
  },
  'a function returning (ref nofunc) and i32 pauses and traps; its call is made again on rewind': {
    calls: [3, 6].map((x) => ['traps_after_pause', x]),
    expected: [3, 6].flatMap((x) => [nextValue(x), 'throws RuntimeError: unreachable']),
  },
};

test('the report names the three functions whose results became nullable', () => {
  // After the two imports: $throws_after_pauses, $doubles_then_hands_over, $pair.
  const retyped = report.functions.filter((f) => f.resultsMadeNullable).map((f) => f.index);
  assert.deepEqual(retyped, [2, 3, 4]);
});

const results = await runInChromium(Object.entries(CASES).map(([title, c]) => ({
  title, original: wasm, transformed: ours, calls: c.calls,
})));
testEachCase(results, CASES);

const never = (exported, table) => `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  ${table ? '(table 1 funcref) (elem (i32.const 0) $never)' : ''}
  (func $never ${exported ? '(export "never")' : ''} (result (ref none))
    (drop (call $next (i32.const 1))) (unreachable))
  (func (export "run") (drop (call $never))))`;

for (const [how, exported, table] of [['exported', true, false], ['in a table', false, true]]) {
  test(`a pausable function returning (ref none) that is ${how} is refused, its type named`, () => {
    const input = ws.assembleTextWithBinaryen(`reached-${table ? 'table' : 'export'}`,
      never(exported, table), { features: FEATURES });
    assert.throws(() => ws.ours(input, { imports: ['env.next'], wabt: 'none' }),
      /returning a non-nullable \(ref none\), a type that has no values.*a table, ref\.func or an export reaches it/);
  });
}

test('a tail call to a retyped function from an uninstrumented one becomes call + unreachable', () => {
  const input = ws.assembleTextWithBinaryen('removed-tail-caller', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (func $never (result (ref none)) (drop (call $next (i32.const 1))) (unreachable))
    (func $removed (result (ref none)) (return_call $never))
    (func (export "run") (drop (call $removed))))`, { features: [...FEATURES, '-g'] });
  const { wasm: out } = ws.ours(input, { imports: ['env.next'], args: ['--removelist', 'removed'], wabt: 'none' });
  validate(out, [], 'none');
  const text = ws.disassembleWithBinaryen(out);
  assert.match(text, /\(func \$never \(type \$\d+\) \(result nullref\)/);
  assert.match(text, /\(func \$removed \(type \$\d+\) \(result \(ref none\)\)\s*\(drop\s*\(call \$never\)\s*\)\s*\(unreachable\)/);
});
