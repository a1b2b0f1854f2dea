// Saved frames hold no absolute addresses: a buffer copied elsewhere and rewound from there
// resumes the same paused computation, as often as wanted, each time with another answer from
// the import (ruby.wasm's setjmp relies on this). Driven by hand, for ours and Binaryen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';

const ws = new Workspace('replay');
const wasm = ws.compileC('replay.c');
const variants = {
  ours: ws.ours(wasm, { imports: ['env.next'] }).wasm,
  Binaryen: ws.binaryen(wasm, { imports: ['env.next'] }),
};
const ANSWERS = [5, -40, 123456];

// What the original computes when next() answers `answer`.
async function originalWith(answer) {
  const out = [];
  const { instance } = await WebAssembly.instantiate(load(wasm), {
    env: { next: () => answer, print_i32: (x) => void out.push(x) },
  });
  out.push(instance.exports.compute(11));
  return out;
}

async function replayed(file) {
  let e;
  let answer = null;
  let out = [];
  const { instance } = await WebAssembly.instantiate(load(file), {
    env: {
      print_i32: (x) => void out.push(x),
      next: () => {
        if (e.asyncify_get_state() === 2) {
          e.asyncify_stop_rewind();
          return answer;
        }
        e.asyncify_start_unwind(home);
        return 0;
      },
    },
  });
  e = instance.exports;
  const base = e.memory.grow(1) * 65536;
  const home = base; // where the first unwind writes
  const view = () => new DataView(e.memory.buffer);
  view().setUint32(home, home + 8, true);
  view().setUint32(home + 4, home + 8 + 4096, true);
  e.compute(11);
  assert.equal(e.asyncify_get_state(), 1);
  e.asyncify_stop_unwind();
  const used = view().getUint32(home, true) - (home + 8);
  const saved = new Uint8Array(e.memory.buffer, home + 8, used).slice();
  const results = [];
  for (const [k, value] of ANSWERS.entries()) {
    // Each replay from a different place, the old copy wiped.
    const at = base + 8192 + k * 4096 + 4 * k;
    new Uint8Array(e.memory.buffer).fill(0xee, home, home + 8 + 4096);
    new Uint8Array(e.memory.buffer).set(saved, at + 8);
    view().setUint32(at, at + 8 + used, true);
    view().setUint32(at + 4, at + 8 + used, true);
    answer = value;
    out = [];
    e.asyncify_start_rewind(at);
    out.push(e.compute(999));
    assert.equal(e.asyncify_get_state(), 0);
    assert.equal(view().getUint32(at, true), at + 8, 'a full rewind brings current back to the start');
    results.push(out);
  }
  return { results, used };
}

for (const [label, file] of Object.entries(variants)) {
  test(`one pause replayed three times from relocated copies (${label})`, async () => {
    const expected = [];
    for (const answer of ANSWERS) expected.push(await originalWith(answer));
    const { results, used } = await replayed(file);
    assert.ok(used > 0 && used % 4 === 0, `${used} bytes saved, a multiple of 4 for GC scanners`);
    assert.deepEqual(results, expected);
  });
}
