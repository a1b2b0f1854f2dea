// The export re-entered for a rewind gets junk arguments (the ABI says they are ignored): the
// instrumented code must restore its parameters from the saved frame, for i32 and i64 alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports } from './lib/three-ways.mjs';

const ws = new Workspace('rewind-args');
const host = { garbageRewindArgs: true };

const calls = (list) => async (call, io) => {
  for (const [name, ...args] of list) io.out.push(await call(name, ...args));
};

test('C exports whose parameters stay live across pauses', async () => {
  const wasm = ws.compileC('loops.c');
  await threeWays(ws, wasm, { host, drive: calls([['nested', 6, 7], ['while_pausing', 50000], ['loop_sum', 30]]) });
});

test('WAT exports reading their parameters before and after the pause', async () => {
  const wasm = ws.assemble('stack.wat');
  await threeWays(ws, wasm, {
    host,
    drive: calls([['operand_before', 99], ['nested_expr', 3], ['table_arms', 12], ['print_after', 5]]),
  });
});

test('i64 parameters', async () => {
  const wasm = ws.assemble('multivalue.wat');
  await threeWays(ws, wasm, {
    host,
    pausing: ['env.next', 'env.next64'],
    makeImports: (io, async) => {
      const imports = standardImports(io, async);
      imports.env.divmod = (n, d) => [n / BigInt(d), Number(n % BigInt(d))];
      return imports;
    },
    drive: calls([['wide', 123456789012345n, 3n], ['pair', 7, -1n]]),
  });
});

// Locals read only to rebuild arguments the rewinding callee ignores stay out of the frame,
// unless they feed a load (the exports below are re-entered with junk, which no load survives)
// or are read again after the pause.
test('locals that only feed ignored arguments', async () => {
  const wasm = ws.assemble('ignored-args.wat');
  for (const oursArgs of [[], ['-Os']]) {
    const runs = await threeWays(ws, wasm, {
      host,
      oursArgs,
      report: true,
      drive: calls([['arith_arg', 5], ['load_arg', 64], ['arg_and_after', 9], ['arith_arg', -3]]),
    });
    // Functions after the two imports: use_twice, arith_arg, load_arg, arg_and_after.
    const frame = (k) => runs.report.functions.find((f) => f.index === 3 + k).maxFrameBytes;
    assert.equal(frame(0), 0, 'arith_arg keeps no frame (one call, nothing to save)');
    assert.ok(frame(1) > 4 && frame(2) > 4, 'load_arg and arg_and_after save their parameter');
  }
});
