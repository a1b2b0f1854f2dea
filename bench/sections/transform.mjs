// (b) transform time and peak memory, (c) code size, for every corpus input, with default
// options (every import may pause) and with an import list. Every output is also checked by
// the engine's validator, so a fast but broken output cannot look good.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, mb, ms, pct, ratio, table, x } from '../lib/format.mjs';
import { engineValidates, fileSizes, repeatMeasured } from '../lib/measure.mjs';
import { chooseImportList, measuredIn } from '../lib/tools.mjs';

export async function runTransform(ctx) {
  const results = [];
  for (const input of ctx.corpus) {
    const inSize = fileSizes(input.path);
    const importList = chooseImportList(readFileSync(input.path));
    const optionSets = [{ id: 'default', imports: null }];
    if (importList) optionSets.push({ id: 'imports', imports: importList });
    for (const opts of optionSets) {
      for (const tool of ctx.transformers) {
        if (tool.reference && opts.id !== 'default') continue;  // -O0 is a reference, default options only
        if (!measuredIn(tool, 'size')) continue;
        const out = join(ctx.outDir, `${input.id}.${opts.id}.${tool.id}.wasm`);
        const [cmd, args] = tool.command(input.path, out, opts.imports);
        const r = repeatMeasured(cmd, args, { reps: ctx.reps, budgetMs: ctx.budgetMs });
        const row = { input: input.id, options: opts.id, imports: opts.imports, tool: tool.id, label: tool.label,
          inSize, ok: r.ok, ms: r.ms, cpuMs: r.cpuMs, rssKB: r.rssKB, runs: r.runs };
        if (r.ok) {
          row.outSize = fileSizes(out);
          row.valid = engineValidates(out);
          row.overhead = row.outSize.raw / inSize.raw - 1;
          row.gzOverhead = row.outSize.gzip / inSize.gzip - 1;
        } else {
          row.error = r.stderr.trim().split('\n').slice(-1)[0];
        }
        if (!r.ok) ctx.problem(tool.id, `transform ${input.id} [${opts.id}] failed: ${row.error}`);
        else if (!row.valid) ctx.problem(tool.id, `transform ${input.id} [${opts.id}]: output does not validate`);
        rmSync(out, { force: true });
        ctx.log(`  transform ${input.id} [${opts.id}] ${tool.id}: ${r.ok ? `${ms(r.ms)}, ${pct(row.overhead)}` : `FAILED: ${row.error}`}`);
        results.push(row);
      }
    }
  }
  return [timeSection(ctx, results), sizeSection(ctx, results)];
}

const isOurs = (r) => r.tool.startsWith('ours');
const find = (results, r, tool) => results.find((o) => o.input === r.input && o.options === r.options && o.tool === tool && o.ok);

function timeSection(ctx, results) {
  const rows = results.map((r) => {
    const peer = find(results, r, 'binaryen-O2');
    return [r.input, r.options === 'default' ? 'default' : `imports: ${r.imports.join(',')}`, r.label,
      r.ok ? ms(r.ms) : `failed: ${r.error}`, r.ok ? ms(r.cpuMs) : '', r.ok ? mb(r.rssKB) : '', r.ok ? r.runs : '',
      isOurs(r) ? x(ratio(r.ms, peer?.ms)) : '', isOurs(r) ? x(ratio(r.cpuMs, peer?.cpuMs)) : '',
      isOurs(r) ? x(ratio(r.rssKB, peer?.rssKB)) : ''];
  });
  return {
    id: 'transform',
    title: '(b) Transform time and peak memory',
    markdown: table(['input', 'options', 'tool', '>wall (median)', '>CPU (median)', '>peak RSS', '>runs',
      '>wall ours/-O2', '>CPU ours/-O2', '>RSS ours/-O2'], rows),
    data: results,
  };
}

function sizeSection(ctx, results) {
  const rows = results.map((r) => {
    const peer = find(results, r, 'binaryen-O2');
    const mine = isOurs(r) && r.ok && peer;
    return [r.input, r.options, r.label, bytes(r.inSize.raw),
      r.ok ? bytes(r.outSize.raw) : 'failed', r.ok ? pct(r.overhead) : '',
      r.ok ? bytes(r.outSize.gzip) : '', r.ok ? pct(r.gzOverhead) : '',
      r.ok ? (r.valid ? 'yes' : 'NO') : '',
      mine ? x(ratio(r.overhead, peer.overhead)) : '', mine ? x(ratio(r.gzOverhead, peer.gzOverhead)) : ''];
  });
  return {
    id: 'size',
    title: '(c) Code size: output against input (raw and gzip -9)',
    markdown: table(['input', 'options', 'tool', '>input', '>output', '>overhead', '>output gz', '>overhead gz',
      'valid', '>overhead ours/-O2', '>gz overhead ours/-O2'], rows),
    data: results,
  };
}
