// Multi-value results and i64 arguments/results (BigInt in JS), exports and imports alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports, nextValue, nextValue64 } from './lib/three-ways.mjs';

const ws = new Workspace('multivalue');
const wasm = ws.assemble('multivalue.wat');
const PAUSING = ['env.next', 'env.next64', 'env.divmod'];

// divmod(n: i64, d: i32) -> [i64, i32], a pausing import with two results.
function makeImports(io, async) {
  const imports = standardImports(io, async);
  imports.env.divmod = (n, d) => {
    const value = [n / BigInt(d), Number(n % BigInt(d))];
    return async ? new Promise((resolve) => setTimeout(() => resolve(value), 0)) : value;
  };
  return imports;
}

const options = (drive) => ({ pausing: PAUSING, makeImports, drive });

test('an internal function returning three values across a pause', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    for (const x of [1, -4, 1000]) io.out.push(await call('use_triple', x));
  }));
  assert.deepEqual(runs.original.out, [1, -4, 1000].map((x) => nextValue(x) + x * 3 + 1 + nextValue(7) * 0.5));
});

test('an export returning (i64, i32)', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('pair', 5, 1n << 40n));
  }));
  assert.deepEqual(runs.original.out, [[nextValue64((1n << 40n) + 5n), nextValue(5)]]);
});

test('i64 parameters and results as BigInt', async () => {
  const big = 0x7fff_ffff_ffffn;
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('wide', big, -3n));
    io.out.push(await call('wide', -1n, -1n));
  }));
  const t = nextValue64(BigInt.asIntN(64, big * -3n));
  assert.equal(runs.original.out[1], t ^ nextValue64(t - big));
});

test('a pausing import taking i64 and returning (i64, i32)', async () => {
  const runs = await threeWays(ws, wasm, options(async (call, io) => {
    io.out.push(await call('divide', 1_000_000_000_007n, 10));
    io.out.push(await call('divide', -(1n << 62n), 7));
  }));
  assert.deepEqual(runs.original.out[0], 100_000_000_000n * 1000n + 7n);
});
