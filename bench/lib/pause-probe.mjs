// Measures one pause (unwind + resume) at several stack depths, in the current engine, using
// bench/workloads/pause.c. Modes:
//   'asyncify-sync'  instrumented module; the import pauses and resumes at once, no event loop
//                    turn: the cost of the unwind/rewind mechanism itself
//   'asyncify-await' instrumented module; the import returns a resolved promise that is awaited
//   'jspi'           uninstrumented module; the import is a WebAssembly.Suspending function
//   'plain'          the same call without any pause, for reference
// Each figure is the median over `samples` timed batches, each batch running calls until
// `batchMs` has passed (so coarse browser clocks still give precise per-call times).
import { AsyncifyDriver, Ready } from './asyncify-driver.mjs';

const step = (x) => x + 1;

async function setUp(bytes, mode, entry) {
  let driver = null;
  let pause;
  if (mode === 'asyncify-sync' || mode === 'asyncify-await') {
    driver = new AsyncifyDriver(0, 0);
    pause = driver.wrap(mode === 'asyncify-sync' ? (x) => new Ready(step(x)) : (x) => Promise.resolve(step(x)));
  } else if (mode === 'jspi') {
    if (typeof WebAssembly.Suspending !== 'function') throw new Error('this engine has no JSPI');
    pause = new WebAssembly.Suspending(async (x) => step(x));
  } else {
    pause = step;
  }
  const { instance } = await WebAssembly.instantiate(bytes, { env: { pause } });
  const e = instance.exports;
  e._initialize?.();
  if (driver) {
    driver.dataAddress = e.bench_asyncify_area();
    driver.dataSize = e.bench_asyncify_area_size();
    driver.attach(instance);
  }
  if (mode === 'asyncify-sync') return { call: (d) => driver.callSync(entry, d), driver, sync: true };
  if (mode === 'asyncify-await') return { call: (d) => driver.call(entry, d), driver };
  if (mode === 'jspi') return { call: WebAssembly.promising(e[entry]) };
  return { call: (d) => e[entry](d), sync: true };
}

export async function measurePause(bytes, { mode, entry = 'bench_descend', depths = [10, 100, 1000], samples = 5, batchMs = 50 }) {
  const probe = await setUp(bytes, mode, entry);
  const reference = await setUp(bytes, 'plain', entry);
  // Check every depth and warm up the engine's promise and stack-switching paths before timing.
  for (const depth of depths) {
    const expected = reference.call(depth);
    for (let k = 0; k < 200; k++) {
      const got = await probe.call(depth);
      if (got !== expected) throw new Error(`${mode}: depth ${depth} returned ${got}, expected ${expected}`);
    }
  }
  const results = [];
  for (const depth of depths) {
    const perCall = [];
    for (let s = 0; s < samples + 1; s++) {  // the first batch warms up and is dropped
      let n = 0;
      const start = performance.now();
      let now = start;
      if (probe.sync) {
        while (now - start < batchMs) {
          for (let k = 0; k < 16; k++) probe.call(depth);
          n += 16;
          now = performance.now();
        }
      } else {
        while (now - start < batchMs) {
          for (let k = 0; k < 16; k++) await probe.call(depth);
          n += 16;
          now = performance.now();
        }
      }
      if (s > 0) perCall.push(((now - start) * 1000) / n);
    }
    perCall.sort((a, b) => a - b);
    results.push({
      depth,
      us: perCall[perCall.length >> 1],
      savedBytes: probe.driver ? probe.driver.lastSavedBytes : null,
    });
  }
  return results;
}
