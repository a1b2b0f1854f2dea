// (e) Pause cost: one unwind + rewind round trip at stack depths 10, 100, 1000, per tool, in
// Node and in Chromium, with JSPI in Chromium as the zero-code-size reference; for narrow frames
// (two values, one of which a transform may rebuild) and wide ones (seven values to save).
import { bytes, table, us } from '../lib/format.mjs';
import { fileSizes } from '../lib/measure.mjs';
import { runInNode } from '../lib/node-probe.mjs';
import { buildPauseWorkload } from '../lib/workloads.mjs';
import { NODE_ARGS, variantsFor } from './normal-path.mjs';

const DEPTHS = [10, 100, 1000];
const FRAMES = [
  { id: 'narrow', entry: 'bench_descend', label: 'narrow' },
  { id: 'wide', entry: 'bench_descend_wide', label: 'wide (7 values)' },
];

export async function runPause(ctx) {
  const baseline = buildPauseWorkload(ctx.root, ctx.cacheDir);
  const variants = variantsFor(ctx, baseline, 'pause', 'pause').filter((v) => v.id !== 'O2-only' && !v.failed);
  const options = (mode, frame) => ({ mode, entry: frame.entry, depths: DEPTHS, samples: ctx.quick ? 3 : 7, batchMs: ctx.quick ? 20 : 100 });
  const plan = [];
  for (const frame of FRAMES) {
    plan.push({ engine: 'Node', frame, variant: variants[0], mode: 'plain', what: 'plain call, no pause' });
    for (const v of variants.filter((v) => v.instrumented)) {
      plan.push({ engine: 'Node', frame, variant: v, mode: 'asyncify-sync', what: 'pause, resume at once' });
      plan.push({ engine: 'Node', frame, variant: v, mode: 'asyncify-await', what: 'pause, await resolved promise' });
    }
  }
  if (ctx.chromium) {
    for (const frame of FRAMES) {
      plan.push({ engine: 'Chromium', frame, variant: variants[0], mode: 'plain', what: 'plain call, no pause' });
      plan.push({ engine: 'Chromium', frame, variant: variants[0], mode: 'jspi', what: 'JSPI, await resolved promise' });
      for (const v of variants.filter((v) => v.instrumented)) {
        plan.push({ engine: 'Chromium', frame, variant: v, mode: 'asyncify-await', what: 'pause, await resolved promise' });
      }
    }
  }

  const rows = [];
  const data = [];
  for (const p of plan) {
    let res;
    try {
      res = p.engine === 'Node'
        ? runInNode('pause-probe.mjs', 'measurePause', p.variant.path, options(p.mode, p.frame), { warmup: 0, reps: 1, nodeArgs: NODE_ARGS })[0]
        : await ctx.chromium.run('pause-probe.mjs', 'measurePause', p.variant.path, options(p.mode, p.frame));
    } catch (err) {
      ctx.problem(p.variant.id, `pause ${p.engine} ${p.frame.id} ${p.mode}: ${err.message.split('\n')[0]}`);
      rows.push([p.engine, p.frame.label, p.variant.label, p.what, 'failed', '', '', '', '']);
      continue;
    }
    data.push({ engine: p.engine, frames: p.frame.id, variant: p.variant.id, mode: p.mode, results: res });
    ctx.log(`  pause ${p.engine} ${p.frame.id} ${p.variant.id} ${p.mode}: ${res.map((r) => us(r.us)).join(' / ')}`);
    const deepest = res.at(-1);
    rows.push([p.engine, p.frame.label, p.variant.label, p.what, ...res.map((r) => us(r.us)),
      deepest.savedBytes == null ? '' : bytes(deepest.savedBytes), bytes(fileSizes(p.variant.path).raw)]);
  }
  return {
    id: 'pause',
    title: '(e) Pause cost: one call that pauses once at the bottom of a recursion and resumes',
    markdown: table(['engine', 'frames', 'module', 'what', ...DEPTHS.map((d) => `>depth ${d}`), '>saved at depth 1000', '>module size'], rows),
    notes: ['Times are per complete call (descend + pause + resume + return), median of timed batches.',
      ctx.chromium ? '' : `Chromium rows skipped: ${ctx.chromiumMissing}`].filter(Boolean),
    data,
  };
}
