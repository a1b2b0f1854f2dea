// How the front end splits wasm-opt command lines (the exact lines Emscripten 3.1.6 emits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCommand, tokenize, PlanError } from '../lib/plan.mjs';

const PASSES = new Set(['asyncify', 'post-emscripten', 'strip-debug', 'strip-dwarf',
  'strip-producers', 'fpcast-emu', 'safe-heap', 'print-function-map', 'minify-imports']);
const isPass = (name) => PASSES.has(name);

const EMCC_O2 = ['--strip-dwarf', '--post-emscripten', '-O2', '--low-memory-unused', '--asyncify',
  '--pass-arg=asyncify-imports@env.invoke_*,env.emscripten_sleep', '--zero-filled-memory',
  '--strip-debug', '--strip-producers', 'a.wasm', '-o', 'a.wasm', '--mvp-features'];

test('command lines without --asyncify pass through unchanged', () => {
  assert.deepEqual(planCommand(['--version'], isPass), { passthrough: true });
  assert.deepEqual(planCommand(['a.wasm', '-O2', '-o', 'b.wasm'], isPass), { passthrough: true });
  // A pass whose name merely contains "asyncify" is not the asyncify pass.
  assert.deepEqual(planCommand(['a.wasm', '--mod-asyncify-never-unwind', '-o', 'b'], isPass),
    { passthrough: true });
});

test("Emscripten's -O2 -sASYNCIFY line splits into before / ours / after", () => {
  const plan = planCommand(EMCC_O2, isPass);
  assert.equal(plan.input, 'a.wasm');
  assert.equal(plan.output, 'a.wasm');
  assert.deepEqual(plan.levels, [2, 0]);
  assert.deepEqual(plan.stages.map((s) => s.tool), ['real', 'asyncify', 'real']);
  const [before, ours, after] = plan.stages;
  const globals = ['--low-memory-unused', '--zero-filled-memory', '--mvp-features'];
  const levels = ['--optimize-level', '2', '--shrink-level', '0'];
  assert.deepEqual(before.args,
    [...globals, '--strip-dwarf', '--post-emscripten', '-O2', ...levels, '-g']);
  assert.deepEqual(ours.passArgs, ['--pass-arg=asyncify-imports@env.invoke_*,env.emscripten_sleep']);
  assert.equal(ours.optFlag, '-O2');
  assert.deepEqual(ours.globals, globals);
  // No -g on the command line: the last run drops the names the intermediate files carried.
  assert.deepEqual(after.args, [...globals, '--strip-debug', '--strip-producers', ...levels]);
});

test('every pass-arg spelling reaches the asyncify step; other pass-args go to wasm-opt', () => {
  const plan = planCommand(['in.wasm', '--asyncify', '-pa', 'asyncify-ignore-indirect',
    '--pass-arg', 'asyncify-removelist@f,g', '--pass-arg=asyncify-addlist@h', '-pa=asyncify-verbose',
    '--pass-arg=inline-main@x', '-o', 'out.wasm'], isPass);
  assert.deepEqual(plan.stages.map((s) => s.tool), ['asyncify', 'real']);
  assert.deepEqual(plan.stages[0].passArgs, ['--pass-arg=asyncify-ignore-indirect',
    '--pass-arg=asyncify-removelist@f,g', '--pass-arg=asyncify-addlist@h',
    '--pass-arg=asyncify-verbose']);
  assert.deepEqual(plan.stages[1].args, ['--pass-arg=inline-main@x', '--quiet']);
});

test('-g is honoured on the last run; -S and -o only reach the last run', () => {
  const plan = planCommand(['in.wasm', '-g', '--asyncify', '-S', '-o', 'out.wat'], isPass);
  assert.deepEqual(plan.stages[1].args, ['--quiet', '-g', '-S']);
  assert.equal(plan.output, 'out.wat');
});

test('the last -O flag and explicit levels set the global level for every stage', () => {
  const plan = planCommand(['in.wasm', '-Oz', '--asyncify', '-O1', '-s', '1', '-o', 'o'], isPass);
  assert.deepEqual(plan.levels, [1, 1]);
  assert.equal(plan.stages[0].tool, 'real');
  assert.deepEqual(plan.stages[0].args, ['-Oz', '--optimize-level', '1', '--shrink-level', '1', '-g']);
  assert.equal(plan.stages[1].optFlag, '-O1');
  assert.deepEqual(plan.stages[2].args, ['-O1', '--optimize-level', '1', '--shrink-level', '1']);
});

test('unknown flags are treated as global settings, known passes keep their order', () => {
  const plan = planCommand(['--fpcast-emu', '--safe-heap', '--asyncify', '--print-function-map',
    '--quiet', 'x.wasm', '-o', 'y.wasm'], isPass);
  assert.deepEqual(plan.stages[0].args, ['--quiet', '--fpcast-emu', '--safe-heap', '-g']);
  assert.deepEqual(plan.stages[2].args, ['--quiet', '--print-function-map']);
});

test('source maps across the asyncify step are refused with a clear message', () => {
  assert.throws(() => planCommand(['a.wasm', '--asyncify', '-osm', 'a.map', '-o', 'b'], isPass),
    PlanError);
});

test('tokenize keeps option values, with or without =', () => {
  assert.deepEqual(tokenize(['-o', 'x', '--output=y', '-O2']).map((t) => [t.name, t.value]),
    [['-o', 'x'], ['--output', 'y'], ['-O2', undefined]]);
  assert.throws(() => tokenize(['--pass-arg']), PlanError);
});
