// Pausable functions whose results include a type without values ((ref none), (ref nofunc))
// never return normally; when only direct calls reach them, their results become nullable so
// that they can return while unwinding. Run in Chromium: Node 20's V8 has no standard GC, and
// no wabt reads it, so the module is committed as programs/never-returning.bin (its source and
// the command that made it: programs/never-returning.wat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInChromium, testEachCase } from './lib/chromium.mjs';
import { ASYNCIFY_TOOL, PROGRAMS_DIR, Workspace, validate } from './lib/toolchain.mjs';
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

// Reached through a table, $never keeps its type: it has nothing to return while unwinding, so
// a pause inside it traps there; the rest of the module pauses as usual.
const reachedByTable = ws.assembleTextWithBinaryen('reached-by-table', `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  (type $never_t (func (param i32) (result (ref none))))
  (table 1 funcref) (elem (i32.const 0) $never)
  (func $never (type $never_t) (drop (call $next (local.get 0))) (unreachable))
  (func (export "never_via_table") (param i32)
    (drop (call_indirect (type $never_t) (local.get 0) (i32.const 0))))
  (func (export "twice") (param i32) (result i32) (call $next (call $next (local.get 0)))))`,
{ features: [...FEATURES, '-g'] });
const trapping = reachedByTable.replace(/\.wasm$/, '.ours.wasm');
const tool = spawnSync(ASYNCIFY_TOOL, [reachedByTable, '-o', trapping, '--imports', 'env.next',
  '--report', trapping.replace(/\.wasm$/, '.json')], { encoding: 'utf8' });

const TRAPPING = 'a pause inside a function returning (ref none) that a table reaches traps while unwinding';
const results = await runInChromium([
  ...Object.entries(CASES).map(([title, c]) => ({ title, original: wasm, transformed: ours, calls: c.calls })),
  ...(tool.status === 0 ? [{ title: TRAPPING, original: reachedByTable, transformed: trapping,
    calls: [['twice', 2], ['twice', -4], ['never_via_table', 3]] }] : []),
]);
testEachCase(results.filter((r) => r.title !== TRAPPING), CASES);

test('a function returning (ref none) that a table reaches is instrumented, with a warning naming it and its type', () => {
  assert.equal(tool.status, 0, tool.stderr);
  assert.match(`${tool.stdout}${tool.stderr}`, /warning: Asyncify: never returns \(ref none\), a type of which no value can be made to return while unwinding \(.*a table, ref\.func or an export reaches it\): a pause inside it traps when unwinding/);
  validate(trapping, [], 'none');
  const facts = JSON.parse(readFileSync(trapping.replace(/\.wasm$/, '.json'), 'utf8'));
  assert.deepEqual(facts.functions.filter((f) => f.unwindTraps).map((f) => f.name), ['never']);
});

test(`Chromium: ${TRAPPING}`, () => {
  const result = results.find((r) => r.title === TRAPPING);
  assert.ok(result, 'the transform failed');
  if (result.error) assert.fail(result.error);
  const twice = (x) => nextValue(nextValue(x));
  assert.deepEqual(result.original, [twice(2), twice(-4), 'throws RuntimeError: unreachable']);
  // The two calls of twice paused twice each; the third call's pause starts unwinding, which
  // traps in $never (it would trap after the import returned anyway: it never returns).
  assert.deepEqual(result.ours, result.original);
  assert.equal(result.unwinds, 5);
});

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
