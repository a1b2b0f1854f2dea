// Arguments of indirect calls on rewind (see indirectArgumentsIgnored in
// src/transform/rebuilt_arguments.h): left to the callee when only instrumented functions that
// restore their parameters can pause behind the call, rebuilt exactly when an import can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('indirect-args');
const wasm = ws.assemble('indirect-args.wat');
// Functions after the three imports, in module order.
const FUNCTIONS = ['add_next', 'mul_next', 'read_twice', 'sub_next', 'three_a', 'three_b', 'two_args', 'four_args'];

for (const oursArgs of [[], ['-Os']]) {
  test(`indirect calls rewind with their arguments ignored or exact${oursArgs.length ? ' (-Os)' : ''}`, async () => {
    writeFileSync(ws.path('indirect-args.txt'), 'ABCDEFGH');
    const runs = await threeWays(ws, wasm, {
      oursArgs,
      report: true,
      baseDir: ws.dir,
      host: { garbageRewindArgs: true },
      drive: async (call, io) => {
        for (const [which, v] of [[0, 5], [1, 9]]) io.out.push(await call('two_args', which, v));
        for (const which of [2, 3]) io.out.push(await call('four_args', which));
        io.out.push(await call('three_a', 6), await call('three_b', 8));
      },
    });
    assert.ok(runs.ours.unwinds >= 7);
    // three_a and three_b need nothing back but the table index, a constant: no frame at all.
    // four_args saves the capacity it loaded, for the import.
    const frameOf = (name) => runs.report.functions.find((f) => f.index === 3 + FUNCTIONS.indexOf(name)).maxFrameBytes;
    assert.equal(frameOf('three_a'), 0);
    assert.equal(frameOf('three_b'), 0);
    assert.ok(frameOf('four_args') > 0);
  });
}
