// A wasi-libc program: qsort calls a comparator that pauses, so every unwind crosses libc frames
// reached through a function pointer. WASI calls answer synchronously and are not listed as
// pausing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays, standardImports, nextValue } from './lib/three-ways.mjs';

const ws = new Workspace('wasi');
const wasm = ws.compileWasi('wasi_sort.c');
const EBADF = 8;

// Just the WASI calls this program's stdio needs; stdout text becomes output lines.
function makeImports(io, async) {
  const imports = standardImports(io, async);
  let pending = '';
  imports.wasi_snapshot_preview1 = {
    fd_write: (fd, iovs, count, written) => {
      if (fd !== 1) return EBADF;
      const view = new DataView(io.memory.buffer);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const ptr = view.getUint32(iovs + 8 * k, true);
        const len = view.getUint32(iovs + 8 * k + 4, true);
        pending += io.string(ptr, len);
        total += len;
      }
      const lines = pending.split('\n');
      pending = lines.pop();
      io.out.push(...lines);
      view.setUint32(written, total, true);
      return 0;
    },
    fd_close: () => EBADF,
    fd_seek: () => EBADF,
    fd_fdstat_get: () => EBADF,
  };
  return imports;
}

test('qsort with a pausing comparator, printed with printf', async () => {
  const n = 60;
  const runs = await threeWays(ws, wasm, {
    pausing: ['env.next'],
    makeImports,
    // The host grows memory for its buffer before malloc first asks for the heap's end.
    compareMemory: false,
    drive: async (call, io) => {
      await call('_initialize');
      io.out.push(await call('sort_demo', n));
    },
  });
  const values = Array.from({ length: n }, (_, i) => (i * 7919) % 1009);
  const key = (x) => (nextValue(x) >>> 0) % 997;
  values.sort((x, y) => key(x) - key(y) || x - y);
  assert.equal(runs.original.out[0], values.join(' '));
  assert.ok(runs.ours.unwinds >= n, `${runs.ours.unwinds} pauses`);
});
