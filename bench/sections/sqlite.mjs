// (f) SQLite over an asynchronous VFS: size and time of the fixed workload for the
// uninstrumented module (synchronous store), each Asyncify transform (async store, import list =
// the five I/O imports), and JSPI in Chromium (async store, uninstrumented module).
import { join } from 'node:path';
import { bytes, ms, pct, table } from '../lib/format.mjs';
import { fileSizes, median, runMeasured } from '../lib/measure.mjs';
import { runInNode } from '../lib/node-probe.mjs';
import { ASYNC_STORE_IMPORTS } from '../lib/page-store.mjs';
import { measuredIn, WASM_OPT } from '../lib/tools.mjs';
import { buildSqlite } from '../lib/workloads.mjs';
import { NODE_ARGS } from './normal-path.mjs';

export async function runSqliteSection(ctx) {
  ctx.log('  building SQLite (cached after the first run)');
  const baseline = buildSqlite(ctx.root, ctx.cacheDir);
  const rows = ctx.quick ? 2000 : 10000;
  const reps = ctx.reps;
  const warmup = ctx.quick ? 1 : 2;

  const variants = [{ id: 'sync', label: 'no Asyncify, sync store', path: baseline, mode: 'sync', transformMs: null }];
  if (!ctx.quick) {
    const o2 = join(ctx.outDir, 'sqlite.O2only.wasm');
    if (runMeasured(WASM_OPT, ['--all-features', baseline, '-O2', '-o', o2]).ok) {
      variants.push({ id: 'sync-O2', label: 'wasm-opt -O2 only, sync store', path: o2, mode: 'sync' });
    }
  }
  for (const tool of ctx.transformers) {
    if ((tool.reference && ctx.quick) || !measuredIn(tool, 'sqlite')) continue;
    const out = join(ctx.outDir, `sqlite.${tool.id}.wasm`);
    const [cmd, args] = tool.command(baseline, out, ASYNC_STORE_IMPORTS);
    const r = runMeasured(cmd, args);
    if (r.ok) ctx.log(`  sqlite transform ${tool.id}: ${ms(r.ms)}`);
    else ctx.problem(tool.id, `sqlite transform failed: ${r.stderr.trim().split('\n').slice(-1)[0]}`);
    variants.push({ id: tool.id, label: `${tool.label}, async store`, path: r.ok ? out : null, mode: 'asyncify',
      transformMs: r.ok ? r.ms : null, failed: !r.ok });
  }
  const jspi = { id: 'jspi', label: 'JSPI, async store (no transform)', path: baseline, mode: 'jspi' };

  const baseSize = fileSizes(baseline);
  const tableRows = [];
  const data = [];
  let expected = null;
  const record = (v, engine, runs) => {
    const t = median(runs.map((r) => r.ms));
    const checksum = runs[0].checksum;
    if (expected === null) expected = checksum;
    if (checksum !== expected) ctx.problem(v.id, `sqlite ${engine}: checksum ${checksum}, expected ${expected}`);
    const size = fileSizes(v.path);
    data.push({ variant: v.id, engine, ms: t, size, calls: runs[0].calls, correct: checksum === expected });
    ctx.log(`  sqlite ${engine} ${v.id}: ${ms(t)}`);
    tableRows.push([engine, v.label, bytes(size.raw), pct(size.raw / baseSize.raw - 1), bytes(size.gzip),
      v.transformMs ? ms(v.transformMs) : '', ms(t), runs[0].phaseMs.map((p) => p.toFixed(0)).join(' / '),
      checksum === expected ? 'same' : 'WRONG']);
  };

  for (const v of variants) {
    if (v.failed) {
      tableRows.push(['Node', v.label, '', '', '', '', 'transform failed', '', '']);
      continue;
    }
    try {
      record(v, 'Node', runInNode('sqlite-probe.mjs', 'runSqlite', v.path, { mode: v.mode, rows }, { warmup, reps, nodeArgs: NODE_ARGS }));
    } catch (err) {
      ctx.problem(v.id, `sqlite Node: ${err.message.split('\n')[0]}`);
      tableRows.push(['Node', v.label, '', '', '', '', 'failed', '', '']);
    }
  }
  if (ctx.chromium) {
    for (const v of [variants[0], jspi, ...variants.filter((v) => v.mode === 'asyncify' && !v.failed)]) {
      try {
        const runs = [];
        for (let i = 0; i < warmup + reps; i++) {
          const r = await ctx.chromium.run('sqlite-probe.mjs', 'runSqlite', v.path, { mode: v.mode, rows });
          if (i >= warmup) runs.push(r);
        }
        record(v, 'Chromium', runs);
      } catch (err) {
        ctx.problem(v.id, `sqlite Chromium: ${err.message.split('\n')[0]}`);
        tableRows.push(['Chromium', v.label, '', '', '', '', 'failed', '', '']);
      }
    }
  }
  const calls = data[0]?.calls;
  return {
    id: 'sqlite',
    title: `(f) SQLite with an asynchronous VFS (${rows} rows)`,
    markdown: table(['engine', 'variant', '>size', '>vs untransformed', '>size gz', '>transform time', '>run time (median)',
      '>phases ms: schema / insert / indexed / scan', 'result'], tableRows),
    notes: [
      `Workload: create table + index, ${rows} inserts in transactions of 500, ${rows / 5} indexed point queries, 5 full scans with LIKE; page cache 64 pages.`,
      calls ? `Store calls per run: ${Object.entries(calls).map(([k, n]) => `${k} ${n}`).join(', ')}; each async call awaits a resolved promise.` : '',
      `Asyncify import list: ${ASYNC_STORE_IMPORTS.join(',')}.`,
      ctx.chromium ? '' : `Chromium rows skipped: ${ctx.chromiumMissing}`,
    ].filter(Boolean),
    data,
  };
}
