// Process measurement: wall time from the parent's monotonic clock; peak resident memory and CPU
// time (user + system) from GNU time (Debian package `time`), which reads the child's rusage
// after it exits. CPU time is the steadier figure on a machine shared with other work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const GNU_TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(GNU_TIME);
const scratch = mkdtempSync(join(tmpdir(), 'bench-measure-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// Runs a command once: { ok, code, ms, cpuMs, rssKB, stderr }.
export function runMeasured(cmd, args, { timeoutMs = 30 * 60 * 1000 } = {}) {
  const rusageFile = join(scratch, 'rusage');
  const [file, argv] = haveGnuTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', rusageFile, cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let rssKB = null;
  let cpuMs = null;
  if (haveGnuTime) {
    const lines = existsSync(rusageFile) ? readFileSync(rusageFile, 'utf8').trim().split('\n') : [];
    const [rss, user, sys] = (lines.at(-1) ?? '').split(' ').map(Number);
    if (Number.isFinite(rss)) rssKB = rss;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
    rmSync(rusageFile, { force: true });
  }
  const code = r.status ?? (r.signal ? 128 : 1);
  return { ok: code === 0 && !r.error, code, ms, cpuMs, rssKB, stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

// Repeats a measured run; stops repeating once the runs so far exceed `budgetMs`, so that one
// slow input cannot eat a whole session. Returns the medians and the number of runs.
export function repeatMeasured(cmd, args, { reps, budgetMs = 60_000 }) {
  const runs = [];
  let spent = 0;
  for (let i = 0; i < reps; i++) {
    const r = runMeasured(cmd, args);
    if (!r.ok) return { ...r, runs: runs.length + 1 };
    runs.push(r);
    spent += r.ms;
    if (spent > budgetMs) break;
  }
  return {
    ok: true,
    ms: median(runs.map((r) => r.ms)),
    cpuMs: runs[0].cpuMs === null ? null : median(runs.map((r) => r.cpuMs)),
    rssKB: runs[0].rssKB === null ? null : Math.max(...runs.map((r) => r.rssKB)),
    runs: runs.length,
  };
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function fileSizes(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

// Checks a module with the engine's own validator (V8 in Node), a quick independent judge.
export function engineValidates(path) {
  return WebAssembly.validate(readFileSync(path));
}
