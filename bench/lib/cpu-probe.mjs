// Times one CPU workload (bench/workloads/*.c, export `bench_run`) in the current engine, with
// its async import `env.tick` present but never pausing: the normal-path cost of instrumentation.
export async function runCpu(bytes, { arg }) {
  let reported = null;
  const env = { tick() {}, report(v) { reported = v; } };
  const { instance } = await WebAssembly.instantiate(bytes, { env });
  instance.exports._initialize?.();
  // In Node, CPU time is recorded too: it is less disturbed by other work on the machine.
  const cpu = globalThis.process?.cpuUsage;
  const cpuStart = cpu?.();
  const start = performance.now();
  const result = instance.exports.bench_run(arg);
  const ms = performance.now() - start;
  const used = cpu?.(cpuStart);
  const cpuMs = used ? (used.user + used.system) / 1000 : null;
  if (reported !== result) throw new Error(`bench_run reported ${reported} but returned ${result}`);
  return { result, ms, cpuMs };
}
