// Functions with one pausable call and nothing live across it keep no frame at all: the report
// says so, and unwinding and rewinding through them works, framed callers and callees around
// (arguments of calls to instrumented functions are rebuilt on rewind and ignored, so they
// need not be saved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
  io.out.push(await call('direct', 0));
  for (const n of [0, 1, 6]) io.out.push(await call('ping_pong', n));
  for (const x of [1, 0, 2]) await call('counted_arm', x);
  io.out.push(new Int32Array(io.memory.buffer, 12, 1)[0]);
};

// Functions after the two imports, in module order.
const FUNCTIONS = ['wrap', 'wide', 'in_arm', 'prefixed', 'looped', 'pair', 'wide_sum', 'arm', 'prefix', 'loop',
  'direct', 'counted_arm', 'ping', 'pong', 'ping_pong'];
const frameOf = (report, name) => report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf(name)).maxFrameBytes;

for (const oursArgs of [[], ['-Os']]) {
  test(`frameless functions pause and resume${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    const runs = await threeWays(ws, wasm, { drive, report: true, oursArgs, host: { garbageRewindArgs: true }, minUnwinds: 10 });
    for (const name of ['wide', 'in_arm', 'prefixed', 'looped', 'wide_sum', 'arm', 'prefix', 'loop', 'direct', 'counted_arm'])
      assert.equal(frameOf(runs.report, name), 0, `${name} keeps no frame`);
    const looped = runs.report.functions.find((f) => f.index === 2 + FUNCTIONS.indexOf('looped'));
    assert.equal(looped.rewindCopiedLoops, oursArgs.length ? 0 : 1, 'the loop is copied by default');
    // wrap passes its parameter to the import, which is called again with it; pair has two calls.
    for (const name of ['wrap', 'pair']) assert.ok(frameOf(runs.report, name) > 0, `${name} keeps a frame`);
    // One call to resume at: ping's frame holds $k alone and no site id (inline by default; a
    // shared save helper's signature keeps the id with -Os). Its $n comes back from its callers:
    // pong rebuilds it from its own, and ping_pong, outside the recursion, saves its $n once.
    if (!oursArgs.length) assert.equal(frameOf(runs.report, 'ping'), 4, 'ping saves $k alone');
    assert.ok(frameOf(runs.report, 'ping_pong') > 0, 'ping_pong keeps its parameter for ping');
  });
}

// A call that ends the function needs no state check: "prefix" and "loop" only call on (loop's
// store before the call still gets skipped on rewind). "direct" returns what the import returns
// and must keep its check, so that it returns zero while unwinding.
test('a frameless function whose call ends it has no state check', () => {
  for (const args of [[], ['-Os']]) {
    const { wasm: out } = ws.ours(wasm, { args, suffix: `tail${args.join('')}` });
    const text = execFileSync('wasm2wat', [out], { encoding: 'utf8' });
    const body = (name) => {
      const index = Number(text.match(new RegExp(`\\(export "${name}" \\(func (\\d+)\\)\\)`))[1]);
      const start = text.indexOf(`(func (;${index};)`);
      return text.slice(start, text.indexOf('(func (;', start + 1));
    };
    const afterLastCall = (name) => body(name).slice(body(name).lastIndexOf('call '));
    for (const name of ['prefix', 'loop', 'counted_arm']) {
      assert.doesNotMatch(afterLastCall(name), /br_if|global\.get/, `${name} ${args}:\n${body(name)}`);
      if (name === 'counted_arm') continue;  // its prologue keeps a local
      assert.doesNotMatch(body(name), /\(local /, `${name} ${args} declares no locals:\n${body(name)}`);
    }
    assert.match(afterLastCall('direct'), /br_if/, `direct ${args}:\n${body('direct')}`);
  }
});
