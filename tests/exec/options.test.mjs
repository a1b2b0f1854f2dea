// What --ignore-indirect, --removelist, --addlist and --onlylist instrument (from --report) and
// that the programs still run correctly, against Binaryen given the same options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, instrumented } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('options');
const wasm = ws.compileC('options.c');

const drive = async (call, io) => {
  for (const x of [0, 1, 6, 7]) {
    for (const name of ['via_pointer', 'direct', 'forced', 'chain', 'pure_pointer']) io.out.push(await call(name, x));
  }
};

async function withOptions(suffixArgs, binaryenArgs) {
  return threeWays(ws, wasm, { oursArgs: suffixArgs, binaryenArgs, drive, report: true });
}

test('by default an indirect call that may reach pausing code makes a function pausable', async () => {
  const runs = await withOptions([], []);
  // pure_pointer's indirect call has a type no pausing function has.
  assert.deepEqual(instrumented(runs.report), ['chain', 'direct', 'maybe_pause', 'only_via_maybe', 'via_pointer']);
});

test('--ignore-indirect leaves functions whose only pausable calls are indirect alone', async () => {
  const runs = await withOptions(['--ignore-indirect'], ['asyncify-ignore-indirect']);
  assert.deepEqual(instrumented(runs.report), ['chain', 'direct', 'maybe_pause', 'only_via_maybe']);
});

test('--removelist: a listed function is not instrumented and propagation stops there', async () => {
  const runs = await withOptions(['--removelist', 'maybe_pause'], ['asyncify-removelist@maybe_pause']);
  const names = instrumented(runs.report);
  assert.ok(!names.includes('maybe_pause'));
  // chain, only_via_maybe and via_pointer reach pausing code only through maybe_pause.
  assert.deepEqual(names, ['direct']);
});

test('--removelist with a glob', async () => {
  const runs = await withOptions(['--removelist', 'maybe_*,only_*'], ['asyncify-removelist@maybe_*,only_*']);
  const names = instrumented(runs.report);
  assert.deepEqual(names, ['direct']);
});

test('--addlist: a listed function is instrumented, its callers are not', async () => {
  const runs = await withOptions(['--ignore-indirect', '--addlist', 'helper_plain'],
    ['asyncify-ignore-indirect', 'asyncify-addlist@helper_plain']);
  // forced calls helper_plain but is not instrumented for it.
  assert.deepEqual(instrumented(runs.report), ['chain', 'direct', 'helper_plain', 'maybe_pause', 'only_via_maybe']);
});

test('--onlylist: exactly the listed functions are instrumented', async () => {
  const runs = await withOptions(['--onlylist', 'direct,maybe_pause'], ['asyncify-onlylist@direct,maybe_pause']);
  assert.deepEqual(instrumented(runs.report), ['direct', 'maybe_pause']);
});

test('--onlylist together with --removelist is rejected', () => {
  assert.throws(() => ws.ours(wasm, { args: ['--onlylist', 'direct', '--removelist', 'forced'], suffix: 'bad' }),
    /only-list|onlylist|only list/i);
});

// A function in the remove-list that does pause leaves the module unable to resume; the list is
// the user's promise that it will not, so the transformed module need not cope. What must hold
// is that the program keeps running when the promise is kept (above) and that sizes shrink.
test('removing functions shrinks the output', async () => {
  const full = ws.ours(wasm, { imports: ['env.sleep', 'env.get_answer'], suffix: 'full' }).wasm;
  const trimmed = ws.ours(wasm, { imports: ['env.sleep', 'env.get_answer'], suffix: 'trimmed',
    args: ['--removelist', 'maybe_pause', '--ignore-indirect'] }).wasm;
  const { statSync } = await import('node:fs');
  assert.ok(statSync(trimmed).size < statSync(full).size);
});

// The wasm-opt spelling of the same request gives a module that behaves the same.
test('wasm-opt style arguments: --asyncify -O2 --pass-arg=asyncify-imports@...', async () => {
  const { runSync, runAsync } = await import('./lib/three-ways.mjs');
  const spelled = ws.ours(wasm, {
    suffix: 'spelled',
    args: ['-O2', '--asyncify', '--pass-arg=asyncify-imports@env.sleep,env.get_answer'],
  }).wasm;
  const original = await runSync(wasm, { drive });
  const run = await runAsync(spelled, { drive });
  assert.deepEqual(run.out, original.out);
  assert.equal(run.unwinds, 4);
});

// A remove-listed function that does pause breaks the list's promise; with --asserts the module
// must trap at once instead of running on in a wrong state.
test('--asserts traps when a remove-listed function pauses', async () => {
  const { runAsync } = await import('./lib/three-ways.mjs');
  const imports = ['env.sleep', 'env.get_answer'];
  const variants = {
    ours: ws.ours(wasm, { imports, suffix: 'asserts', args: ['--removelist', 'maybe_pause', '--asserts'] }).wasm,
    Binaryen: ws.binaryen(wasm, { imports, suffix: 'asserts-binaryen',
      passArgs: ['asyncify-removelist@maybe_pause', 'asyncify-asserts'] }),
  };
  for (const [label, file] of Object.entries(variants)) {
    // Kept promise: runs normally.
    const fine = await runAsync(file, { drive: async (call, io) => void io.out.push(await call('direct', 3)) });
    assert.deepEqual(fine.out, [4 * 42 + 10], label);
    // Broken promise: maybe_pause(-1) sleeps.
    await assert.rejects(
      runAsync(file, { drive: async (call) => void (await call('chain', -1)) }),
      WebAssembly.RuntimeError, label);
  }
});

test('an import list given as globs', async () => {
  const runs = await threeWays(ws, wasm, { pausing: ['env.sle*', 'env.get_*'], drive });
  assert.equal(runs.ours.unwinds, 4);
});
