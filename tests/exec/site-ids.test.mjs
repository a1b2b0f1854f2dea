// Functions with many pausable calls: each call's state check pushes its site id as a signed
// one-byte constant where it can (ids less 64, added back by the unwind handler; past 127, one
// unwind block per further 128 ids, whose end adds 128), and every site, whatever its id, must
// unwind and resume where it paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Workspace } from './lib/toolchain.mjs';
import { threeWays } from './lib/three-ways.mjs';

const ws = new Workspace('site-ids');

// Pausing calls `from`..`from + count - 1`, each result folded into the accumulator, with a
// marker stored in memory after each so that a site resumed at the wrong place changes the output.
function sites(from, count) {
  const body = [];
  for (let k = from; k < from + count; k++) {
    body.push(`(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31))
        (call $next (i32.add (local.get $acc) (i32.const ${k})))))`);
    body.push(`(i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const ${k + 1})))`);
  }
  return body.join('\n    ');
}

const moduleWith = (func) => `(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)
  ${func})`;

// `calls` sequential pausing calls.
const manySites = (calls) => moduleWith(`(func (export "run") (param $seed i32) (result i32)
    (local $acc i32)
    (local.set $acc (local.get $seed))
    ${sites(0, calls)}
    (local.get $acc))`);

// The same in a loop whose turns take one arm of an if or the other, then more sites: ids past
// 255 reached through loop and arm dispatches.
const sitesInLoop = (perArm, after) => moduleWith(`(func (export "run") (param $n i32) (result i32)
    (local $acc i32) (local $i i32)
    (loop $turn
      (if (i32.and (local.get $i) (i32.const 1))
        (then ${sites(0, perArm)})
        (else ${sites(perArm, perArm)}))
      ${sites(2 * perArm, after)}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))`);

for (const oursArgs of [[], ['-Os']]) {
  test(`300 pausing calls in a loop and the arms of an if${oursArgs.length ? ' (-Os)' : ''}: every site pauses and resumes`, async () => {
    const wasm = ws.assembleText('loop300', sitesInLoop(100, 100));
    const runs = await threeWays(ws, wasm, {
      oursArgs,
      drive: async (call, io) => {
        io.out.push(await call('run', 3));
        io.out.push(new Int32Array(io.memory.buffer, 0, 1)[0]);
      },
    });
    assert.equal(runs.ours.unwinds, 3 * 200);
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], args: oursArgs, suffix: `loop300${oursArgs.join('')}` });
    assert.equal(checkConstants(out).levels, 2);
  });
}

function checkConstants(out) {
  const text = execFileSync('wasm2wat', [out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const start = text.indexOf('(func (;1;)');
  const body = text.slice(start, text.indexOf('(func (;', start + 1));
  // The state global is the one every check reads right after its id.
  const checks = [...body.matchAll(/i32\.const (-?\d+)\s+global\.get (\d+)\s+br_if/g)];
  // A level's block ends after the body's return, then adds 128.
  const levels = body.match(/end\s+i32\.const 128\s+i32\.add/g)?.length ?? 0;
  return { ids: checks.map((m) => Number(m[1])), levels };
}

for (const [calls, levels] of [[60, 0], [100, 0], [200, 1], [420, 3]]) {
  test(`${calls} pausing calls in one function: every site pauses and resumes`, async () => {
    const wasm = ws.assembleText(`sites${calls}`, manySites(calls));
    const runs = await threeWays(ws, wasm, {
      drive: async (call, io) => {
        io.out.push(await call('run', 7));
        io.out.push(new Int32Array(io.memory.buffer, 0, 1)[0]);
      },
    });
    assert.equal(runs.ours.unwinds, calls);
    const { wasm: out } = ws.ours(wasm, { imports: ['env.next'], suffix: `ids${calls}` });
    const found = checkConstants(out);
    assert.equal(found.ids.length, calls);
    // One byte each (-64..63) up to the last level's ids.
    assert.ok(found.ids.every((id) => id >= -64 && id < 64), JSON.stringify(found.ids));
    assert.equal(found.levels, levels);
  });
}
