// The --report's unwindBufferBound promises the most unwind buffer any pause can need (no
// recursion): every unwind measured while running the programs must fit within it, and with a
// buffer of exactly that size nothing traps. Recursive programs get no bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { runAsync, PAUSING } from './lib/three-ways.mjs';

const ws = new Workspace('buffer-bound');

const PROGRAMS = [
  ['loops.c', async (call) => {
    await call('switcher', 30);
    await call('nested', 3, 4);
    await call('while_pausing', 1000);
  }],
  // Indirect calls, none of whose possible targets calls back (indirect.c could, by type).
  ['options.c', async (call) => {
    for (const name of ['via_pointer', 'direct', 'chain', 'pure_pointer']) await call(name, 2);
  }],
  ['locals.c', async (call) => {
    await call('mix', 3, 5n);
    await call('params', 2);
  }],
  ['stack.wat', async (call) => {
    for (const name of ['operand_before', 'nested_expr', 'table_arms', 'indirect_operands']) await call(name, 3);
  }],
];

for (const [source, drive] of PROGRAMS) {
  test(`the reported bound covers every unwind (${source})`, async () => {
    const flags = source === 'locals.c' ? ['-msimd128'] : [];
    const wasm = source.endsWith('.c') ? ws.compileC(source, { flags }) : ws.assemble(source);
    const { wasm: out, report } = ws.ours(wasm, { imports: PAUSING, report: true });
    assert.equal(report.recursion, false);
    const bound = report.unwindBufferBound;
    const run = await runAsync(out, { drive });
    assert.ok(run.unwinds > 0);
    assert.ok(run.host.highWater <= bound, `used ${run.host.highWater} bytes, bound ${bound}`);
    await runAsync(out, { drive, host: { bufferBytes: bound } });
  });
}

// Direct recursion, and a possible cycle through indirect calls of one type (indirect.c).
for (const source of ['recursion.c', 'indirect.c']) {
  test(`recursion leaves the bound open (${source})`, () => {
    const { report } = ws.ours(ws.compileC(source), { imports: PAUSING, report: true });
    assert.equal(report.recursion, true);
    assert.equal(report.unwindBufferBound, null);
  });
}
