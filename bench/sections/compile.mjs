// (g) Engine compile time: what an instrumented module costs V8 before it runs. Every function
// is compiled eagerly on one thread, once by the baseline compiler (Liftoff) and once by the
// optimizing one (TurboFan), for the untransformed input, our output and Binaryen's (default
// options). The optimizing compiler's work grows with the merges the instrumentation adds: a
// rewind path that joins the normal one is a merge of every local that may differ.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ms, pct, ratio, table, x } from '../lib/format.mjs';
import { median, runMeasured } from '../lib/measure.mjs';
import { runInNode } from '../lib/node-probe.mjs';
import { measuredIn } from '../lib/tools.mjs';

const TIERS = [
  { id: 'liftoff', label: 'Liftoff (baseline)', nodeArgs: ['--liftoff-only'] },
  { id: 'turbofan', label: 'TurboFan (optimizing)', nodeArgs: ['--no-liftoff'] },
];
const EAGER = ['--no-wasm-lazy-compilation', '--single-threaded'];

// Median of `reps` compilations, each in its own process.
function compileMs(path, tier, reps) {
  const times = [];
  for (let i = 0; i < reps; i++) {
    const [r] = runInNode('compile-probe.mjs', 'compileOnce', path, {},
      { warmup: 0, reps: 1, nodeArgs: [...tier.nodeArgs, ...EAGER] });
    times.push(r.ms);
  }
  return median(times);
}

export async function runCompile(ctx) {
  const data = [];
  const rows = [];
  const tools = ctx.transformers.filter((t) => measuredIn(t, 'compile') && !t.reference);
  for (const input of ctx.corpus) {
    const variants = [{ id: 'input', label: 'untransformed', path: input.path }];
    for (const tool of tools) {
      const out = join(ctx.outDir, `${input.id}.compile.${tool.id}.wasm`);
      const [cmd, args] = tool.command(input.path, out, null);
      const r = runMeasured(cmd, args);
      if (!r.ok) {
        ctx.problem(tool.id, `compile ${input.id}: transform failed: ${r.stderr.trim().split('\n').slice(-1)[0]}`);
        continue;
      }
      variants.push({ id: tool.id, label: tool.label, path: out });
    }
    const times = {};
    for (const tier of TIERS) {
      for (const v of variants) {
        try {
          times[`${v.id}/${tier.id}`] = compileMs(v.path, tier, ctx.reps);
        } catch (err) {
          ctx.problem(v.id, `compile ${input.id} (${tier.id}): ${err.message}`);
        }
      }
    }
    for (const v of variants) {
      const row = { input: input.id, variant: v.id };
      const cells = [input.id, v.label];
      for (const tier of TIERS) {
        const t = times[`${v.id}/${tier.id}`];
        const base = times[`input/${tier.id}`];
        row[tier.id] = t;
        const grown = v.id === 'input' ? null : ratio(t, base);
        row[`${tier.id}Added`] = grown === null ? null : grown - 1;  // n/a when a compile failed
        cells.push(ms(t), v.id === 'input' ? '' : pct(row[`${tier.id}Added`]));
      }
      // Ours against Binaryen: the compile time each adds to the input's, optimizing tier.
      const peer = times['binaryen-O2/turbofan'];
      const base = times['input/turbofan'];
      row.addedRatio = v.id === 'ours' ? ratio(row.turbofan - base, peer - base) : null;
      cells.push(v.id === 'ours' ? x(row.addedRatio) : '');
      ctx.log(`  compile ${input.id} ${v.id}: Liftoff ${ms(row.liftoff)}, TurboFan ${ms(row.turbofan)}`);
      data.push(row);
      rows.push(cells);
      if (v.id !== 'input') rmSync(v.path, { force: true });
    }
  }
  return {
    id: 'compile',
    title: '(g) Engine compile time (V8 in Node, every function eagerly, one thread)',
    markdown: table(['input', 'module', '>Liftoff', '>added', '>TurboFan', '>added',
      '>TurboFan time added, ours/-O2'], rows),
    notes: [
      'Each figure is the median over separate Node processes (V8 caches a compiled module within a process).',
      'The last column divides the TurboFan time our output adds to the input\'s by the time Binaryen\'s output adds.',
    ],
    data,
  };
}
