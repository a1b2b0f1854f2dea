// The harness must be able to fail: a module instrumented for the wrong imports, run with async
// imports, has to be caught (wrong output or an error), with either transformer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { runSync, runAsync } from './lib/three-ways.mjs';

const ws = new Workspace('harness');
const wasm = ws.compileC('article.c');
const drive = async (call, io) => void io.out.push(await call('answer'));

// get_answer is not listed, so nothing around it is instrumented.
const variants = {
  ours: () => ws.ours(wasm, { imports: ['env.sleep'], suffix: 'wrong-ours' }).wasm,
  Binaryen: () => ws.binaryen(wasm, { imports: ['env.sleep'], suffix: 'wrong-binaryen' }),
};

for (const [label, build] of Object.entries(variants)) {
  test(`a module instrumented for the wrong imports is caught (${label})`, async () => {
    const original = await runSync(wasm, { drive });
    let outcome;
    try {
      outcome = (await runAsync(build(), { drive })).out;
    } catch (error) {
      outcome = error;
    }
    assert.notDeepEqual(outcome, original.out);
  });
}
