// Runs a module in a worker thread under a deadline. A transform bug can make a program loop
// forever (a loop counter lost at a pause); wasm that never returns cannot be interrupted on the
// test's own thread, so such a run would hang the suite instead of failing the test. Terminating
// the worker stops it wherever it is.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { runAsync, runSync } from './run-modes.mjs';

const ROLE = 'exec-deadline-run';

// mode 'sync' runs the original (imports answer at once), 'async' a transformed module through
// the ABI host. `calls` is data ([[export, ...args]]), each call's result is printed.
// Resolves to { out, memory, unwinds } or rejects naming the module, mode and deadline.
export function runWithDeadline(wasm, mode, { calls, deadlineMs }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, wasm, mode, calls } });
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error(`${mode} run of ${wasm} did not finish within ${deadlineMs} ms (a loop that never ends?)`));
    }, deadlineMs);
    worker.once('message', (result) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

if (!isMainThread && workerData?.role === ROLE) {
  const { wasm, mode, calls } = workerData;
  const drive = async (call, io) => {
    for (const [name, ...args] of calls) io.out.push(await call(name, ...args));
  };
  const run = mode === 'sync' ? runSync : runAsync;
  const { out, memory, unwinds } = await run(readFileSync(wasm), { drive });
  parentPort.postMessage({ out, memory, unwinds });
}
