// The export re-entered for a rewind gets junk arguments (the ABI says they are ignored): the
// instrumented code must restore its parameters from the saved frame, for i32 and i64 alike.
import { test } from 'node:test';
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
