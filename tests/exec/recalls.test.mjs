// Calls that never return normally are made again from the prologue on rewind (see planRecalls
// in src/transform/function_instrumenter.cpp). The callees pause and then trap, or return and
// meet the caller's `unreachable`: the original and both transformed modules print the same
// and trap at the same points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('recalls');
const wasm = ws.assemble('recalls.wat');

const drive = async (call, io) => {
  for (const x of [0, 1, 2, 3, 4, 5, 6, 7, 8]) {
    try {
      io.out.push(await call('check', x));
    } catch (e) {
      io.out.push(`${x} trapped: ${e.message}`);
    }
  }
};

// Functions after the three imports, in module order.
const FUNCTIONS = ['fail', 'fail_with_result', 'returns_after_pause', 'check'];
const facts = (report, name) => report.functions.find((f) => f.index === 3 + FUNCTIONS.indexOf(name));

for (const oursArgs of [[], ['-Os']]) {
  test(`calls that never return are made again on rewind${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, host: { garbageRewindArgs: true }, minUnwinds: 20 });
    assert.equal(runs.original.out.filter((line) => /trapped: unreachable/.test(line)).length, 7);
    const check = facts(runs.report, 'check');
    assert.equal(check.pausableCallSites, 10);
    assert.equal(check.recalledCallSites, 6);
    // $fail's two pausable calls are followed by more code, not by `unreachable`.
    assert.equal(facts(runs.report, 'fail').recalledCallSites, 0);
  });
}

// A function with 300 pausable calls, some never returning, one in a loop: its checks push
// one-byte ids (less a bias the handler adds back, in unwind blocks of 128 ids each) although
// the prologue's recalls branch to the handler too, and the loop's dispatch reads the resume id
// from the private rewinding flag (recall ids then start at 1: the flag is never zero while a
// recalled callee runs).
const SITES = 300;
const many = `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (func $fail (param $code i32)
    (call $print (call $next (local.get $code)))
    (unreachable))
  ;; Enough instrumented functions for the private flags to pay.
  ${Array.from({ length: 8 }, (_, k) => `(func (export "twice${k}") (param i32) (result i32)
    (call $next (i32.add (call $next (local.get 0)) (i32.const ${k}))))`).join('\n  ')}
  (func (export "many") (param $x i32) (result i32)
    (local $acc i32) (local $k i32)
    ${Array.from({ length: SITES }, (_, k) => [
      `(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (call $next (i32.add (local.get $x) (i32.const ${k})))))`,
      k % 60 === 59 ? `(if (i32.eq (local.get $x) (i32.const ${(k + 1) / 60})) (then (call $fail (local.get $acc)) (unreachable)))` : '',
      k === 150 ? `(loop $turn
        (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $k))))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $acc))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $turn (i32.lt_u (local.get $k) (i32.const 3))))` : '',
    ].join(' ')).join('\n    ')}
    (local.get $acc))
)
`;

for (const oursArgs of [[], ['-Os']]) {
  test(`many sites with recalls: one-byte ids and the flag dispatch${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const wasm = ws.assembleText('many', many, { features: ['--debug-names'] });
    const driveMany = async (call, io) => {
      for (const x of [0, 1, 3, 5, 6]) {
        try {
          io.out.push(await call('many', x));
        } catch (e) {
          io.out.push(`${x} trapped: ${e.message}`);
        }
      }
    };
    const runs = await threeWays(ws, wasm, { drive: driveMany, oursArgs, report: true, minUnwinds: SITES });
    assert.equal(runs.original.out.filter((line) => /trapped: unreachable/.test(line)).length, 3);
    const facts = runs.report.functions.find((f) => f.index === 3 + 8);
    assert.equal(facts.pausableCallSites, SITES + 2 + 5);
    assert.equal(facts.recalledCallSites, 5);
    // Every state check's id fits in one byte.
    const text = execFileSync('wasm-objdump', ['-d', wasm.replace(/\.wasm$/, '.ours.wasm')], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .split('\n').map((line) => line.split('|')[1]?.trim() ?? '');
    let checks = 0;
    for (let i = 0; i + 2 < text.length; i++) {
      if (!/^global\.get \d+ <__asyncify_state>$/.test(text[i + 1]) || !text[i + 2].startsWith('br_if')) continue;
      const id = text[i].match(/^i32\.const (\d+)$/);
      if (!id) continue;
      const value = Number(id[1]) | 0;
      assert.ok(value >= -64 && value < 64, `a two-byte id: ${text[i]}`);
      checks++;
    }
    assert.ok(checks >= SITES, `${checks} checks`);
    // The loop's dispatch compares the flag with an id (the prologue only tests it).
    assert.ok(text.some((line, i) => /^global\.get \d+ <__asyncify_rewinding>$/.test(line) && text[i + 1].startsWith('i32.const')),
      'no dispatch reads the rewinding flag');
    // A recalled callee that returns meets a trap in the save path, before the frame is
    // written: the frame code tests the state once, not each function's unwind handler.
    const trapsIn = [];
    let fn = '';
    let previous = '';
    for (const line of execFileSync('wasm-objdump', ['-d', wasm.replace(/\.wasm$/, '.ours.wasm')], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
      const header = line.match(/^[0-9a-f]+ func\[\d+\] <([^>]+)>:/);
      if (header) fn = header[1];
      if (/\|\s*i32\.eqz\s*$/.test(line) && /<__asyncify_state>/.test(previous)) trapsIn.push(fn);
      previous = line;
    }
    assert.ok(trapsIn.some((name) => /^__asyncify_(reserve|save)/.test(name)), `state tests in ${trapsIn}`);
    assert.ok(!trapsIn.includes('many'), 'the unwind handler of "many" tests the state');
  });
}
