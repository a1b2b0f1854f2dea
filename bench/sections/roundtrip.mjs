// (a) The binary layer alone: read, validate and write back, ours against wasm-opt with no
// passes. Ours must also give back the input byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytes, mb, ms, ratio, table, x } from '../lib/format.mjs';
import { repeatMeasured } from '../lib/measure.mjs';
import { roundTrippers } from '../lib/tools.mjs';

export async function runRoundTrip(ctx) {
  const tools = roundTrippers(ctx.ours);
  const rows = [];
  const data = [];
  for (const input of ctx.corpus) {
    const original = readFileSync(input.path);
    const got = {};
    for (const tool of tools) {
      const out = join(ctx.outDir, `${input.id}.roundtrip.${tool.id}.wasm`);
      const [cmd, args] = tool.command(input.path, out);
      const r = repeatMeasured(cmd, args, { reps: ctx.reps, budgetMs: ctx.budgetMs });
      ctx.log(`  roundtrip ${input.id} ${tool.id}: ${r.ok ? ms(r.ms) : `FAILED (${r.stderr.trim().split('\n')[0]})`}`);
      got[tool.id] = r.ok ? { ...r, identical: Buffer.compare(readFileSync(out), original) === 0 } : r;
      if (!r.ok) ctx.problem(tool.id, `roundtrip ${input.id} failed: ${r.stderr.trim().split('\n')[0]}`);
      else if (tool.id === 'ours' && !got.ours.identical) ctx.problem('ours', `roundtrip ${input.id}: output differs from input`);
    }
    const o = got.ours;
    const b = got.binaryen;
    data.push({ input: input.id, ours: o, binaryen: b });
    rows.push([
      input.id, bytes(original.length),
      o ? (o.ok ? ms(o.ms) : 'failed') : 'absent', o?.ok ? ms(o.cpuMs) : '', o?.ok ? mb(o.rssKB) : '',
      o?.ok ? (o.identical ? 'yes' : 'NO') : '',
      b.ok ? ms(b.ms) : 'failed', b.ok ? ms(b.cpuMs) : '', b.ok ? mb(b.rssKB) : '',
      x(o?.ok && b.ok ? ratio(o.ms, b.ms) : null), x(o?.ok && b.ok ? ratio(o.cpuMs, b.cpuMs) : null),
      x(o?.ok && b.ok ? ratio(o.rssKB, b.rssKB) : null),
    ]);
  }
  return {
    id: 'roundtrip',
    title: '(a) Binary layer: read + validate + write back',
    markdown: table(['input', '>size', '>ours wall', '>ours CPU', '>ours peak RSS', 'ours identical', '>wasm-opt wall',
      '>wasm-opt CPU', '>wasm-opt peak RSS', '>wall ours/wasm-opt', '>CPU ours/wasm-opt', '>RSS ours/wasm-opt'], rows),
    data,
  };
}
