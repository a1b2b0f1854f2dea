// Calls that never return normally are made again from the prologue on rewind (see planRecalls
// in src/transform/function_instrumenter.cpp). The callees pause and then trap, or return and
// meet the caller's `unreachable`: the original and both transformed modules print the same
// and trap at the same points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
