// Times one eager compilation of a whole module in the current engine. Each call must run in a
// fresh process: V8 keeps compiled modules in a process-wide cache keyed by their bytes.
export async function compileOnce(bytes) {
  const start = performance.now();
  await WebAssembly.compile(bytes);
  return { ms: performance.now() - start };
}
