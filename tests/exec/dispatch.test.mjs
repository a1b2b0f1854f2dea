// Rewinding through the dispatch shapes in programs/dispatch.wat, where one state test serves
// two dispatches or none is needed (see openSequence): every call site is paused at and
// resumed, and the entry
// counters in memory (compared with the original's at the end) show that no code before a pause
// ran again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('dispatch');
const wasm = ws.assemble('dispatch.wat');

const CASES = {
  prefixed_block: [2, 3], // even: leaves the block after its first site
  bare_block: [4, 11],
  two_levels: [-5, 6],
  loop_first: [1, 3],
  loop_flag: [3, 1],
  guarded_block: [99, 8],
  after_then_if: [100, 7, 0], // 100: no pause in the if
  guard_then_block: [2, 9],
  table_last_run: [3],
  table_first_run: [3],
  pass_through: [4, -3],
};

for (const [name, inputs] of Object.entries(CASES)) {
  for (const oursArgs of [[], ['-Os']]) {
    test(`${name}${oursArgs.length ? ' (-Os)' : ''}: every site pauses and resumes, nothing runs twice`, async () => {
      const runs = await threeWays(ws, wasm, {
        oursArgs,
        host: { garbageRewindArgs: true },
        drive: async (call, io) => {
          for (const x of inputs) io.out.push(await call(name, x));
          io.out.push(...new Int32Array(io.memory.buffer, 0, 24));
        },
      });
      assert.ok(runs.ours.unwinds >= 2 * inputs.length);
    });
  }
}

// The text of the exported function `name` in the module file `out`.
function exportedFunctionText(out, name) {
  const text = execFileSync('wasm2wat', [out], { encoding: 'utf8' });
  const index = Number(text.match(new RegExp(`\\(export "${name}" \\(func (\\d+)\\)\\)`))[1]);
  const start = text.indexOf(`(func (;${index};)`);
  return text.slice(start, text.indexOf('(func (;', start + 1));
}

// The two table functions must get the shapes they are there for: a table that leaves its last
// target's ids to the default label (fewer entries than ids), and one that subtracts past its
// first target's ids and makes that target the default.
test('a dispatch table leaves the run of ids at either end to its default label', () => {
  for (const args of [[], ['-Os']]) {
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], args, suffix: `tables${args.join('')}` });
    const text = execFileSync('wasm2wat', [out], { encoding: 'utf8' });
    const body = (index) => {
      const start = text.indexOf(`(func (;${index};)`);
      return text.slice(start, text.indexOf('(func (;', start + 1));
    };
    const exportIndex = (name) => Number(text.match(new RegExp(`\\(export "${name}" \\(func (\\d+)\\)\\)`))[1]);
    const tables = (name) => [...body(exportIndex(name)).matchAll(/br_table ([^\n]*)/g)]
      .map((m) => [...m[1].matchAll(/(\d+) \(;@/g)].map((d) => Number(d[1])));
    // Ids 1..9 of the loop body (three sites, then the block's six): entries for ids 0..3 only.
    assert.ok(tables('table_last_run').some((t) => t.length === 5 && t[3] !== t[4]),
      `table_last_run ${args}: ${JSON.stringify(tables('table_last_run'))}`);
    // Ids 1..6 (the if's), then 7..9: three entries after subtracting 7, the if's label the default.
    assert.ok(tables('table_first_run').some((t) => t.length === 4 && !t.slice(0, 3).includes(t[3])),
      `table_first_run ${args}: ${JSON.stringify(tables('table_first_run'))}`);
  }
});

// pass_through's blocks hold one target each: the function's test for its last site must pass
// through them and join the innermost block's dispatch, which the rewind prologue's `if` holds,
// so the function has that one `if` and no other.
test('a test passes through blocks that hold one target each', () => {
  for (const args of [[], ['-Os']]) {
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], args, suffix: `pass${args.join('')}` });
    const body = exportedFunctionText(out, 'pass_through');
    assert.equal(body.match(/^\s*if\b/gm).length, 1, `pass_through ${args}:\n${body}`);
  }
});

// loop_flag's loop tests the resume id in the rewinding flag (the global the prologue tests
// first), with no state test on each turn; a module of fewer functions has no such flag.
test('a loop dispatch reads the resume id from the rewinding flag, with no state test', () => {
  for (const args of [[], ['-Os']]) {
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], args, suffix: `flag${args.join('')}` });
    const body = exportedFunctionText(out, 'loop_flag');
    const flag = body.match(/global\.get (\d+)\s+if/)[1];
    const loop = body.slice(body.indexOf('loop'));
    assert.match(loop, new RegExp(`global\\.get ${flag}\\s+i32\\.const \\d+\\s+i32\\.gt_u\\s+br_if`),
      `loop_flag ${args}:\n${body}`);
    assert.doesNotMatch(loop, /global\.get \d+\s+if/, `loop_flag ${args}:\n${body}`);
  }
});
