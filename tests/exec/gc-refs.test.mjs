// GC references (structs, arrays, i31ref, anyref) live across pauses, run in Chromium: Node 20's
// V8 has no standard GC, and no wabt reads it, so the module is committed as
// programs/gc-refs.bin (its source and the command that made it: programs/gc-refs.wat). Every
// reference the frames need is parked in a private table of its type while the stack is
// unwound; the objects must come back as the same objects. Functions returning non-nullable
// references return a stand-in while unwinding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInChromium, testEachCase } from './lib/chromium.mjs';
import { ASYNCIFY_TOOL, PROGRAMS_DIR, Workspace, validate } from './lib/toolchain.mjs';
import { nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('gc-refs');
const wasm = ws.path('gc-refs.wasm');
copyFileSync(join(PROGRAMS_DIR, 'gc-refs.bin'), wasm);
// Our validator only: wabt cannot read GC types; Chromium's V8 compiles both modules.
const { wasm: ours, report } = ws.ours(wasm, { imports: ['env.next'], report: true, wabt: 'none' });

const sum = (xs) => xs.reduce((a, b) => (a + b) | 0, 0);
const CASES = {
  'a struct in a non-nullable local, changed before a pause, read after it': {
    calls: [0, 5, -2].map((x) => ['struct_local', x]),
    expected: [0, 5, -2].flatMap((x) => [nextValue(x), nextValue(x) + nextValue(5)]),
  },
  'an array and a null or fresh struct on the operand stack under pausing calls': {
    calls: [2, 3, 6, 7].map((n) => ['operands', n]),
    expected: [2, 3, 6, 7].map((n) => ((nextValue(n) & 3) === 2 ? n & 0xff : 7) + (n & 1 ? -1000 : nextValue(9))),
  },
  'functions that pause and return (ref $point), (ref $bytes), (ref $unary), (ref i31), (ref extern), (ref struct)': {
    calls: [0, 4, 9].map((x) => ['returned_refs', x]),
    expected: [0, 4, 9].map((x) => {
      const v = nextValue(x);
      return v + (v & 15) + 42 + v + v + x;
    }),
  },
  'a fresh struct passed to a callee that pauses (a non-nullable argument)': {
    calls: [1, 8].map((x) => ['non_null_argument', x]),
    expected: [1, 8].map((x) => nextValue(x) + 100),
  },
  'a call that pauses then traps, with a non-nullable argument (not recalled from the prologue)': {
    calls: [0, 5, 2].map((x) => ['fails_after_pause', x]),
    expected: [nextValue(3), nextValue(5), 'throws RuntimeError: unreachable', nextValue(2), 'throws RuntimeError: unreachable'],
  },
  'an array of structs filled by a pausing loop, i31ref and anyref locals': {
    calls: [1, 3, 5].map((n) => ['loop_of_structs', n]),
    expected: [1, 3, 5].map((n) => sum(Array.from({ length: n }, (_, i) => nextValue(i))) - 7 + n),
  },
  'a pausable function returning a function type that no function has (it traps after the pause)': {
    calls: [2, 7].map((x) => ['never_made', x]),
    expected: [nextValue(2), 'throws RuntimeError: unreachable', nextValue(7), 'throws RuntimeError: unreachable'],
  },
  'a pausable function that returns a (ref exn), kept across another pause and thrown': {
    calls: [0, 5, 6].map((x) => ['returned_exception', x]),
    expected: [0, 5, 6].map((x) => x + nextValue(3) + nextValue(x)),
  },
};

const results = await runInChromium(Object.entries(CASES).map(([title, c]) => ({
  title, original: wasm, transformed: ours, calls: c.calls,
})));

test('the functions that reach next are instrumented; those that only read references are not', () => {
  const instrumented = report.functions.filter((f) => f.role === 'instrumented').map((f) => f.index);
  // After the two imports: $sum3 is function 3, $double 6.
  assert.deepEqual(instrumented, [2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]);
});

// A bottom type has no values: an exported pausable function returning one has nothing to return
// while unwinding. It is instrumented all the same, its unwinding traps, and the tool says so,
// naming the function and the type (never-returning.test.mjs runs such a module).
for (const type of ['(ref nofunc)', '(ref none)']) {
  test(`an exported pausable function returning ${type} unwinds by trapping, with a warning`, () => {
    const input = ws.assembleTextWithBinaryen(`returns-${type.replace(/\W/g, '')}`, `(module
      (import "env" "next" (func $next (param i32) (result i32)))
      (func $f (export "f") (result ${type}) (drop (call $next (i32.const 1))) (unreachable)))`,
    { features: ['--enable-gc', '--enable-reference-types', '--enable-exception-handling', '-g'] });
    const out = input.replace(/\.wasm$/, '.ours.wasm');
    const tool = spawnSync(ASYNCIFY_TOOL, [input, '-o', out, '--imports', 'env.next'], { encoding: 'utf8' });
    assert.equal(tool.status, 0, tool.stderr);
    assert.match(`${tool.stdout}${tool.stderr}`, new RegExp(`warning: Asyncify: f returns \\${type.slice(0, -1)}\\), a type of which no value can be made .* traps when unwinding`));
    validate(out, [], 'none');
  });
}

testEachCase(results, CASES);
