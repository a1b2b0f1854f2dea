// Coroutines: several paused stacks at once, each in its own buffer, resumed in turn by a host
// that drives the ABI by hand (no AbiHost), for our output and Binaryen's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';

const ws = new Workspace('coroutines');
const wasm = ws.compileC('coroutines.c');
const ours = ws.ours(wasm, { imports: ['env.yield'] }).wasm;
const binaryen = ws.binaryen(wasm, { imports: ['env.yield'] });

const BUFFER = 4096;
const GENERATORS = [
  { name: 'counter', args: [1, 2, 9] },
  { name: 'counter', args: [1000, -7, 13] },
  { name: 'fib', args: [11, 1.5] },
];

// Each generator run alone by the original module: its values, then its result.
async function runAlone() {
  const expected = [];
  for (const g of GENERATORS) {
    const values = [];
    const { instance } = await WebAssembly.instantiate(load(wasm), { env: { yield: (v) => void values.push(v) } });
    const result = instance.exports[g.name](...g.args);
    expected.push({ values, result });
  }
  return expected;
}

async function runInterleaved(file) {
  let e;
  let current = null;
  const log = [];
  const { instance } = await WebAssembly.instantiate(load(file), {
    env: {
      yield: (v) => {
        if (e.asyncify_get_state() === 2) {
          e.asyncify_stop_rewind();
          return;
        }
        log.push([current.id, v]);
        const view = new DataView(e.memory.buffer);
        view.setUint32(current.data, current.data + 8, true);
        view.setUint32(current.data + 4, current.data + 8 + BUFFER, true);
        e.asyncify_start_unwind(current.data);
      },
    },
  });
  e = instance.exports;
  const base = e.memory.grow(1) * 65536;
  const coroutines = GENERATORS.map((g, id) => ({ ...g, id, data: base + id * (BUFFER + 64), started: false, done: false }));
  const usedBytes = new Set();
  let live = coroutines.length;
  while (live > 0) {
    for (const co of coroutines) {
      if (co.done) continue;
      current = co;
      if (co.started) e.asyncify_start_rewind(co.data);
      co.started = true;
      const result = e[co.name](...co.args);
      if (e.asyncify_get_state() === 1) {
        e.asyncify_stop_unwind();
        usedBytes.add(new DataView(e.memory.buffer).getUint32(co.data, true) - co.data - 8);
      } else {
        assert.equal(e.asyncify_get_state(), 0);
        co.done = true;
        co.result = result;
        live--;
      }
    }
  }
  return { log, coroutines, usedBytes };
}

// Round-robin merge of the solo runs: what the interleaved run must yield.
function interleave(expected) {
  const log = [];
  const longest = Math.max(...expected.map((x) => x.values.length));
  for (let k = 0; k <= longest; k++) {
    expected.forEach((x, id) => {
      if (k < x.values.length) log.push([id, x.values[k]]);
    });
  }
  return log;
}

for (const [label, file] of [['ours', ours], ['Binaryen', binaryen]]) {
  test(`three generators interleaved, separate buffers (${label})`, async () => {
    const expected = await runAlone();
    const run = await runInterleaved(file);
    assert.deepEqual(run.log, interleave(expected));
    assert.deepEqual(run.coroutines.map((c) => c.result), expected.map((x) => x.result));
    assert.ok([...run.usedBytes].every((n) => n > 0 && n <= BUFFER));
  });
}
