// Small loops on a rewind path are emitted twice: a rewind-only copy of the body that leads to
// the call sites, then the loop itself with no rewind test. A pause may start in either copy and
// always resumes in the rewind copy, which then continues into the real loop. Each program here
// pauses from both copies (every `next` call pauses, and the loops turn several times), and the
// report must show the copies were made, so a change of heuristics cannot empty these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('loop-copies');
const wasm = ws.assemble('loop-copies.wat');

const drive = async (call, io) => {
  io.out.push(await call('fib', 12));
  io.out.push(await call('spills', 40));
  io.out.push(await call('arms', 25));
  io.out.push(await call('first', 9));
  io.out.push(await call('nested', 6, 5));
  io.out.push(await call('table', 30));
  io.out.push(await call('in_arm', 8));
  io.out.push(await call('every_turn', 9));
};

// The module has no name section: functions are found by index (after the two imports).
const FUNCTIONS = ['fib', 'spills', 'arms', 'first', 'nested', 'table', 'in_arm', 'every_turn'];
const COPIED = FUNCTIONS.filter((name) => name !== 'every_turn');
const copiesOf = (report, name) =>
  report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf(name))?.rewindCopiedLoops;

test('loops with a rewind copy pause and resume from either copy', async () => {
  const runs = await threeWays(ws, wasm, { drive, report: true, minUnwinds: 200 });
  for (const name of COPIED)
    assert.equal(copiesOf(runs.report, name), 1, `${name} has a rewind copy of its loop`);
  assert.equal(copiesOf(runs.report, 'every_turn'), 0, 'a loop that calls on every turn is not copied');
});

test('-Os makes no copies and gives the same results', async () => {
  const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs: ['-Os'], minUnwinds: 200 });
  for (const name of FUNCTIONS)
    assert.equal(copiesOf(runs.report, name), 0, `${name} has no copy with -Os`);
});
