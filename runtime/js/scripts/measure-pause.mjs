#!/usr/bin/env node
// Measures the runtime's per-call costs on the `semantics` fixture (run build-fixtures first):
// a raw export call, a wrapped call whose import answers synchronously, and a call that pauses
// once on an already-resolved Promise (unwind + rewind), for each transformed variant.
//   node scripts/measure-pause.mjs [iterations]

import { readFileSync } from 'node:fs';
import { instantiate } from '../index.js';

const iterations = Number(process.argv[2] ?? 20000);
const manifest = JSON.parse(readFileSync(new URL('../build/fixtures/manifest.json', import.meta.url)));

async function perCall(fn) {
  for (let i = 0; i < 1000; i++) await fn(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return ((performance.now() - start) * 1000) / iterations;
}

for (const [variant, file] of Object.entries(manifest.fixtures.semantics.variants)) {
  if (variant === 'plain' || typeof file !== 'string') continue;
  const bytes = readFileSync(new URL(`../build/fixtures/${file}`, import.meta.url));
  const make = async (getI32) => (await instantiate(bytes, {
    env: { get_i32: getI32, get_i64: (x) => x, get_f64: () => 0, callback: (x) => x, unlisted: () => 0, log() {}, pause() {} },
  })).instance;
  const raw = (await WebAssembly.instantiate(bytes, {
    env: { get_i32: (x) => x + 1, get_i64: (x) => x, get_f64: () => 0, callback: (x) => x, unlisted: () => 0, log() {}, pause() {} },
  })).instance.exports;
  const sync = await make((x) => x + 1);
  const paused = await make((x) => Promise.resolve(x + 1));
  const rows = {
    'raw export (no runtime)': await perCall((i) => raw.add_async(i)),
    'wrapped export, sync import': await perCall((i) => sync.exports.add_async(i)),
    'wrapped export, one pause': await perCall((i) => paused.exports.add_async(i)),
  };
  for (const [what, us] of Object.entries(rows)) console.log(`${variant}\t${what}\t${us.toFixed(2)} us/call`);
}
