// Exception handling with try_table and exnref around pauses, run in Chromium: Node 20's V8 has
// neither, nor can Debian's wabt assemble or validate them (wabt.js from npm does both). Binaryen
// 108 rejects them, so ours is compared with the synchronous original only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInChromium, testEachCase } from './lib/chromium.mjs';
import { PROGRAMS_DIR, Workspace, validate } from './lib/toolchain.mjs';
import { nextValue } from './lib/three-ways.mjs';

const features = ['--enable-exceptions'];
const ws = new Workspace('exnref');
const wasm = ws.assemble('exnref.wat', { features, wabt: 'npm' });
validate(wasm, features, 'npm');
const { wasm: ours, report } = ws.ours(wasm, { imports: ['env.next'], validateFeatures: features, wabt: 'npm', report: true });

// The unit tests (which run before wabt.js is installed) transform the committed binary.
test('programs/exnref.bin is what wabt.js assembles from programs/exnref.wat', () => {
  const committed = readFileSync(join(PROGRAMS_DIR, 'exnref.bin'));
  assert.ok(committed.equals(readFileSync(wasm)),
    'stale: node tests/exec/node_modules/wabt/bin/wat2wasm --enable-exceptions tests/exec/programs/exnref.wat -o tests/exec/programs/exnref.bin');
});

// Each case: the export's calls and the outputs the original must print (so that the program
// itself is checked, not only the agreement of the two runs).
const CASES = {
  'a pause inside a try_table body, then a throw caught by its clause': {
    calls: [0, 1, 2, 3].map((x) => ['pause_then_throw', x]),
    expected: [0, 1, 2, 3].flatMap((x) => {
      const v = nextValue(x);
      return [v, v & 1 ? 100000 + v : v];
    }),
  },
  'a throw after a pause in a callee, caught in a loop that pauses after the handler': {
    calls: [['throw_from_callee', 6]],
    expected: [(() => {
      let sum = 0;
      for (let i = 0; i < 6; i++) {
        const v = nextValue(i);
        sum = (sum + (v > 50 ? -v : v)) | 0;
        sum = (sum + nextValue(sum)) | 0;
      }
      return sum;
    })()],
  },
  'an exnref from catch_ref live across a pause, then throw_ref to the caller': {
    calls: [0, 1, 2, 3].map((x) => ['exnref_across_pause', x]),
    expected: [0, 1, 2, 3].flatMap((x) => {
      const p = nextValue(x);
      return [nextValue(p), p & 1 ? p : -p];
    }),
  },
  // next(13) fails: the JavaScript error (a rejected Promise in the async run, thrown at the
  // rewind) is caught by catch_all_ref, the handler pauses, and throw_ref gives the caller the
  // very same error. A legacy catch_all cannot do this after a pause: it has no exception value.
  'a host error through a catch_all_ref cleanup that pauses, then throw_ref': {
    imports: 'rejectingThirteen',
    calls: [13, 4, 2].map((x) => ['host_error_through_cleanup', x]),
    expected: [nextValue(1000), 'throws unlucky', nextValue(1000), 'throws unlucky', 7 + nextValue(7)],
  },
  'nested try_tables, a throw to the outer clause, a null exnref across pauses': {
    calls: [0, 1, 2, 3].map((x) => ['nested', x]),
    expected: [0, 1, 2, 3].map((x) => {
      const first = nextValue(x);
      const acc = first + nextValue(first);
      if (x & 2) return nextValue(acc) - acc;
      return (x & 1 ? 5 : acc) + nextValue(7);
    }),
  },
  'a local written after a call that pauses then throws keeps its value for the handler': {
    calls: [3, 20, 17, 40].map((x) => ['overwritten_after_throwing_call', x]),
    expected: [3, 20, 17, 40].map((x) => (nextValue(x) > 50 ? x * 1000 : nextValue(x))),
  },
};

const results = await runInChromium(Object.entries(CASES).map(([title, c]) => ({
  title, original: wasm, transformed: ours, calls: c.calls, imports: c.imports,
})));

test('every function of the exnref program is instrumented (each reaches next)', () => {
  const roles = report.functions.slice(2).map((f) => f.role); // after env.next and env.print_i32
  assert.deepEqual(roles, Array(8).fill('instrumented'));
});

testEachCase(results, CASES);
