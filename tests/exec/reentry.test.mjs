// The host calls exports again while another export is paused: synchronously from inside the
// pausing import (the outer call's frames still on the stack), after the outer call unwound, and
// as a second concurrent call that itself pauses (its own buffer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('reentry');
const wasm = ws.compileC('reentry.c');

// get_answer calls back into the instance: once before it pauses and, when async, once more
// from the timer that settles it, by which time the outer call has unwound.
function makeImports(io, async) {
  const imports = standardImports(io, async);
  imports.env.get_answer = () => {
    io.out.push(['during', io.exports.bump(5)]);
    const finish = () => {
      io.out.push(['unwound', io.exports.bump(7), io.exports.bump_or_pause(2)]);
      return 42;
    };
    if (!async) return finish();
    return new Promise((resolve) => setTimeout(() => resolve(finish()), 1));
  };
  return imports;
}

test('exports called from inside a pausing import and while the caller is unwound', async () => {
  const runs = await threeWays(ws, wasm, {
    makeImports,
    drive: async (call, io) => {
      io.out.push(await call('outer', 1));
      io.out.push(await call('outer', 2));
    },
  });
  const after1 = 5 + 7 + 200;
  const after2 = after1 * 2;
  assert.deepEqual(runs.original.out, [
    ['during', 5], ['unwound', 12, after1], 0, after1, 42 + 1 + after1,
    ['during', after1 + 5], ['unwound', after1 + 12, after2], after1, after2, 42 + 2 + after2,
  ]);
});

test('a second call that pauses while the first is paused', async () => {
  const runs = await threeWays(ws, wasm, {
    makeImports,
    drive: async (call, io) => {
      const first = call('outer', 10);
      const second = call('slow_sum', 30);
      const third = call('slow_sum', 3);
      io.out.push(await first, await second, await third);
    },
  });
  const sum = (n) => Array.from({ length: n }, (_, i) => nextValue(i)).reduce((a, b) => a + b, 0);
  assert.deepEqual(runs.original.out.slice(-2), [sum(30), sum(3)]);
  assert.equal(runs.ours.unwinds, 1 + 30 + 3);
});

// The pausing import itself starts another export that pauses (the outer call is still on the
// stack, not yet unwound); the outer resumes once the inner one has finished.
test('a pausing import that runs a pausing export before answering', async () => {
  const makeNested = (io, async) => {
    const imports = standardImports(io, async);
    imports.env.get_answer = () => {
      if (!async) return io.exports.slow_sum(5) + 1;
      return io.call('slow_sum', 5).then((inner) => inner + 1);
    };
    return imports;
  };
  const runs = await threeWays(ws, wasm, {
    makeImports: makeNested,
    drive: async (call, io) => void io.out.push(await call('outer', 3)),
  });
  const inner = [0, 1, 2, 3, 4].reduce((a, i) => a + nextValue(i), 0);
  assert.deepEqual(runs.original.out, [0, 0, inner + 1 + 3]);
  assert.equal(runs.ours.unwinds, 1 + 5);
});
