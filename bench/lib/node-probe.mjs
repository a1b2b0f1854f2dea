// Spawns bench/lib/probe-child.mjs and returns its parsed results.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = dirname(fileURLToPath(import.meta.url));

export function runInNode(probe, exportName, wasmPath, options, { warmup = 1, reps = 1, nodeArgs = [] } = {}) {
  const r = spawnSync(process.execPath, [...nodeArgs, join(LIB, 'probe-child.mjs'), join(LIB, probe), exportName,
    wasmPath, JSON.stringify(options), String(warmup), String(reps)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    // V8 prints the faulting wasm location first; the error line is the useful part.
    const text = (r.stderr || r.error || '').toString();
    const line = text.split('\n').find((l) => /^\w*Error\b|^\w+: /.test(l)) ?? text.trim().split('\n')[0];
    throw new Error(`${probe} failed on ${wasmPath}: ${line}`);
  }
  return JSON.parse(r.stdout);
}
