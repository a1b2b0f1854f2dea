// Runs the SQLite workload (bench/workloads/sqlite) once in the current engine, in one of three
// ways: 'sync' (uninstrumented module, store answers synchronously), 'asyncify' (instrumented
// module, store answers through promises, driven by AsyncifyDriver), 'jspi' (uninstrumented
// module, the store's promises suspended by JS Promise Integration).
import { AsyncifyDriver } from './asyncify-driver.mjs';
import { PageStore, storeImports } from './page-store.mjs';

export async function runSqlite(bytes, { mode, rows }) {
  const store = new PageStore();
  let instance;
  const getMemory = () => instance.exports.memory;
  const { sync, io } = storeImports(store, getMemory, mode === 'sync' ? 'sync' : 'async');
  const phases = [];
  const env = { phase: (id) => { phases[id] = performance.now(); } };

  let driver = null;
  let storeModule;
  if (mode === 'sync') {
    storeModule = { ...sync, ...io };
  } else if (mode === 'asyncify') {
    driver = new AsyncifyDriver(0, 0);
    storeModule = { ...sync };
    for (const [k, fn] of Object.entries(io)) storeModule[k] = driver.wrap(fn);
  } else if (mode === 'jspi') {
    if (typeof WebAssembly.Suspending !== 'function') throw new Error('this engine has no JSPI');
    storeModule = { ...sync };
    for (const [k, fn] of Object.entries(io)) storeModule[k] = new WebAssembly.Suspending(fn);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }

  ({ instance } = await WebAssembly.instantiate(bytes, { store: storeModule, env }));
  const e = instance.exports;
  e._initialize?.();
  let run;
  if (driver) {
    driver.dataAddress = e.bench_asyncify_area();
    driver.dataSize = e.bench_asyncify_area_size();
    driver.attach(instance);
    run = () => driver.call('bench_sqlite', rows);
  } else if (mode === 'jspi') {
    const promising = WebAssembly.promising(e.bench_sqlite);
    run = () => promising(rows);
  } else {
    run = async () => e.bench_sqlite(rows);
  }

  const start = performance.now();
  const checksum = await run();
  const ms = performance.now() - start;
  if (checksum < 0) throw new Error(`SQLite workload failed with result code ${-checksum}`);
  const phaseMs = [];
  for (let i = 0; i + 1 < phases.length; i++) phaseMs.push(phases[i + 1] - phases[i]);
  return { checksum, ms, phaseMs, calls: { ...store.calls } };
}
