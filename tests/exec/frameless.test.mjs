// Functions with one pausable call and nothing live across it keep no frame at all: the report
// says so, and unwinding and rewinding through them works, framed callers and callees around
// (arguments of calls to instrumented functions are rebuilt on rewind and ignored, so they
// need not be saved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('frameless');
const wasm = ws.assemble('frameless.wat');

const drive = async (call, io) => {
  for (const x of [2, 7]) io.out.push(await call('pair', x));
  io.out.push(await call('wide_sum', 4));
  for (const flag of [1, 0, 3]) io.out.push(await call('arm', flag));
  io.out.push(await call('prefix', 11));
  await call('loop', 4);
};

// Functions after the two imports, in module order.
const FUNCTIONS = ['wrap', 'wide', 'in_arm', 'prefixed', 'looped', 'pair', 'wide_sum', 'arm', 'prefix', 'loop'];
const frameOf = (report, name) => report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf(name)).maxFrameBytes;

for (const oursArgs of [[], ['-Os']]) {
  test(`frameless functions pause and resume${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, host: { garbageRewindArgs: true }, minUnwinds: 10 });
    for (const name of ['wide', 'in_arm', 'prefixed', 'looped', 'wide_sum', 'arm', 'prefix', 'loop'])
      assert.equal(frameOf(runs.report, name), 0, `${name} keeps no frame`);
    const looped = runs.report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf('looped'));
    assert.equal(looped.rewindCopiedLoops, oursArgs.length ? 0 : 1, 'the loop is copied by default');
    // wrap passes its parameter to the import, which is called again with it; pair has two calls.
    for (const name of ['wrap', 'pair']) assert.ok(frameOf(runs.report, name) > 0, `${name} keeps a frame`);
  });
}
