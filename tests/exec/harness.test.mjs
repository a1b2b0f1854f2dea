// The harness must be able to fail: a module instrumented for the wrong imports, run with async
// imports, has to be caught (wrong output or an error), with either transformer; a run that
// never ends has to fail by its deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
import { runSync, runAsync } from './lib/three-ways.mjs';
import { runWithDeadline } from './lib/worker-runs.mjs';

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

test('a run that never ends fails by its deadline, naming the run', async () => {
  const spinning = ws.assembleText('spinning', `(module
    (import "env" "next" (func $next (param i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "main") (param i32 i32) (result i32)
      (drop (call $next (local.get 0)))
      (loop $forever (br $forever))
      (unreachable)))`);
  const transformed = ws.ours(spinning, { imports: ['env.next'] }).wasm;
  const options = { calls: [['main', 1, 2]], deadlineMs: 1000 };
  for (const [wasm, mode] of [[spinning, 'sync'], [transformed, 'async']]) {
    await assert.rejects(runWithDeadline(wasm, mode, options), new RegExp(`^Error: ${mode} run of .* within 1000 ms`));
  }
});
