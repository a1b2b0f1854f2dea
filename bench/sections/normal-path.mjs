// (d) Normal-path slowdown: CPU workloads whose async import is present but never pauses.
// Each variant runs in its own Node process; the slowdown is against clang's untransformed
// output. `wasm-opt -O2` alone is listed too, to separate Binaryen's optimizer from its
// instrumentation.
import { join } from 'node:path';
import { bytes, ms, pct, table } from '../lib/format.mjs';
import { fileSizes, median, runMeasured } from '../lib/measure.mjs';
import { runInNode } from '../lib/node-probe.mjs';
import { measuredIn, WASM_OPT } from '../lib/tools.mjs';
import { buildCpuWorkload, CPU_WORKLOADS } from '../lib/workloads.mjs';

// Steady-state code from the start: with the baseline compiler on, the tier-up moment, not the
// code, would decide short runs.
export const NODE_ARGS = ['--no-liftoff'];

export function variantsFor(ctx, baseline, name, section = 'normal-path') {
  const variants = [{ id: 'baseline', label: 'clang -O2 (untransformed)', path: baseline }];
  const optimized = join(ctx.outDir, `${name}.O2only.wasm`);
  if (runMeasured(WASM_OPT, ['--all-features', baseline, '-O2', '-o', optimized]).ok) {
    variants.push({ id: 'O2-only', label: 'wasm-opt -O2 (no asyncify)', path: optimized });
  }
  for (const tool of ctx.transformers) {
    if (!measuredIn(tool, section)) continue;
    const out = join(ctx.outDir, `${name}.${tool.id}.wasm`);
    const [cmd, args] = tool.command(baseline, out, null);
    const r = runMeasured(cmd, args);
    if (!r.ok) {
      ctx.problem(tool.id, `${name}: transform failed: ${r.stderr.trim().split('\n').slice(-1)[0]}`);
      variants.push({ id: tool.id, label: tool.label, failed: true });
      continue;
    }
    variants.push({ id: tool.id, label: tool.label, path: out, instrumented: true });
  }
  return variants;
}

// Each variant runs in several Node processes, taken in turns across the variants: within one
// process the compiled code is reused, and where it lands in memory can move a tight loop's
// time by a third either way, so one process per variant gave two different pictures on
// repeated runs, and three processes still let recursive fib land in its slow mode for one
// variant (+93% once, +18% on the next run). The figure is the median of the per-process
// medians.
const PROCESSES = 5;

export async function runNormalPath(ctx) {
  const rows = [];
  const data = [];
  for (const w of CPU_WORKLOADS) {
    const baseline = buildCpuWorkload(ctx.root, ctx.cacheDir, w);
    const arg = ctx.quick ? w.quickArg : w.arg;
    const variants = variantsFor(ctx, baseline, w.id);
    const perProcess = new Map(variants.map((v) => [v, []]));
    for (let round = 0; round < (ctx.quick ? 1 : PROCESSES); round++) {
      for (const v of variants) {
        if (v.failed) continue;
        perProcess.get(v).push(runInNode('cpu-probe.mjs', 'runCpu', v.path, { arg },
          { warmup: ctx.quick ? 1 : 2, reps: ctx.reps, nodeArgs: NODE_ARGS }));
      }
    }
    let base = null;
    let expected = null;
    for (const v of variants) {
      if (v.failed) {
        rows.push([w.id, v.label, '', 'transform failed', '', '', '']);
        continue;
      }
      const processes = perProcess.get(v);
      const t = median(processes.map((runs) => median(runs.map((r) => r.cpuMs))));
      const wall = median(processes.map((runs) => median(runs.map((r) => r.ms))));
      const result = processes[0][0].result;
      if (expected === null) expected = result;
      if (v.id === 'baseline') base = t;
      if (result !== expected) ctx.problem(v.id, `${w.id}: result ${result}, expected ${expected}`);
      const size = fileSizes(v.path).raw;
      const slowdown = t / base - 1;
      data.push({ workload: w.id, variant: v.id, ms: t, wallMs: wall, slowdown, size, correct: result === expected });
      ctx.log(`  normal-path ${w.id} ${v.id}: ${ms(t)} (${pct(slowdown)})`);
      rows.push([w.id, v.label, bytes(size), ms(t), ms(wall), v.id === 'baseline' ? '' : pct(slowdown),
        result === expected ? 'same' : `WRONG (${result} != ${expected})`]);
    }
  }
  return {
    id: 'normal-path',
    title: '(d) Normal-path slowdown (async import present, never pausing; Node)',
    markdown: table(['workload', 'variant', '>size', '>CPU time (median)', '>wall time', '>vs untransformed (CPU)', 'result'], rows),
    notes: [
      ...CPU_WORKLOADS.map((w) => `${w.id}: ${w.what}, bench_run(${ctx.quick ? w.quickArg : w.arg})`),
      `Node runs with ${NODE_ARGS.join(' ')} so every variant is measured in V8's optimizing tier from the first call.`,
      `Each variant ran in ${ctx.quick ? 1 : PROCESSES} Node process(es), in turns; CPU time is the median of the per-process medians.`,
    ],
    data,
  };
}
