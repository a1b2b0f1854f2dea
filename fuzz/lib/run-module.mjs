// Runs one module's exports and prints what they did as JSON on stdout, so that a parent can
// compare the original module with its Asyncify-transformed version.
//   node run-module.mjs MODULE.wasm plain|pause
// plain: imports just log. pause: the module is transformed; every import call unwinds the
// stack, waits for a microtask and rewinds (the Asyncify protocol), as an async host would.
// Exports run in order, each after `hangLimitInitializer` (Binaryen's -ttf bound on loops and
// recursion), with zero arguments. Per export: the result or trap, the imports' log, a hash of
// memory and the exported globals' values.
import { readFileSync } from 'node:fs';
import { exportedFunctions } from './wasm-signatures.mjs';

const [file, mode] = process.argv.slice(2);
const bytes = readFileSync(file);
const signatures = exportedFunctions(bytes);
const ASYNCIFY_EXPORTS = /^asyncify_(start|stop)_(un|re)wind$|^asyncify_get_state$/;
const DATA = 0;  // the unwind buffer's header; the stack area follows it (see pause below)

const UNWINDING = 1, REWINDING = 2;
let instance;
let log = [];
let pauses = 0;
let pending = null;  // the import call being paused: name, arguments, saved memory

function describe(value) {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';  // NaN payloads are not compared
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(',')}]`;
  return typeof value;
}

function memory() { return instance.exports.memory; }

function logImport(name) {
  return (...args) => {
    const entry = `${name}(${args.map(describe).join(',')})`;
    const ex = instance.exports;
    if (mode === 'pause' && ex.asyncify_get_state() === REWINDING) {
      // The rewind must arrive back at the very call that paused, with the same arguments.
      if (!pending || pending.entry !== entry) log.push(`REWOUND INTO ${entry}, paused at ${pending?.entry}`);
      ex.asyncify_stop_rewind();
      new Uint8Array(memory().buffer).set(pending.saved);
      pending = null;
      return;
    }
    log.push(entry);
    if (mode === 'pause' && memory() && memory().buffer.byteLength >= 1024) {
      // The unwind data may overwrite the program's memory: it is saved here and restored
      // once the rewind has consumed the data, so the program cannot observe it.
      const buffer = memory().buffer;
      pending = { entry, saved: new Uint8Array(buffer).slice() };
      const header = new Int32Array(buffer, DATA, 2);
      header[0] = DATA + 8;
      header[1] = Math.min(buffer.byteLength, 1 << 24);
      ex.asyncify_start_unwind(DATA);
      pauses++;
    }
  };
}

function hashMemory() {
  const mem = memory();
  if (!mem) return 'none';
  const words = new Uint8Array(mem.buffer);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return `${words.length}:${(h >>> 0).toString(16)}`;
}

function exportedGlobals() {
  const out = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    if (!(value instanceof WebAssembly.Global) || name.startsWith('__asyncify')) continue;
    try { out[name] = describe(value.value); } catch (e) { out[name] = e.constructor.name; }
  }
  return out;
}

function argumentsFor(params) {
  return params.map((t) => (t === 'i64' ? 0n : t === 'i32' || t === 'f32' || t === 'f64' ? 0 : null));
}

async function call(fn, args) {
  const ex = instance.exports;
  let result = fn(...args);
  while (mode === 'pause' && ex.asyncify_get_state() === UNWINDING) {
    ex.asyncify_stop_unwind();
    await Promise.resolve();
    ex.asyncify_start_rewind(DATA);
    result = fn(...args);
  }
  return result;
}

function outcomeOf(error) {
  if (error instanceof RangeError && /call stack/.test(error.message)) return 'stack-overflow';
  if (error instanceof WebAssembly.RuntimeError) return `trap: ${error.message}`;
  if (error instanceof WebAssembly.Exception) return 'wasm exception';
  return `${error.constructor.name}: ${error.message}`;
}

const imports = { 'fuzzing-support': {} };
for (const t of ['i32', 'i64', 'f32', 'f64', 'v128']) imports['fuzzing-support'][`log-${t}`] = logImport(`log-${t}`);

const results = [];
try {
  ({ instance } = await WebAssembly.instantiate(bytes, imports));
} catch (e) {
  console.log(JSON.stringify({ instantiate: outcomeOf(e) }));
  process.exit(0);
}
for (const { name, params } of signatures) {
  if (ASYNCIFY_EXPORTS.test(name)) continue;
  const ex = instance.exports;
  log = [];
  let outcome;
  try {
    if (ex.hangLimitInitializer) await call(ex.hangLimitInitializer, []);
    outcome = `returned ${describe(await call(ex[name], argumentsFor(params)))}`;
  } catch (e) {
    outcome = outcomeOf(e);
  }
  if (mode === 'pause' && ex.asyncify_get_state() !== 0) {
    outcome += ` (asyncify state ${ex.asyncify_get_state()} after the call)`;
    if (pending) { new Uint8Array(memory().buffer).set(pending.saved); pending = null; }
    // A trap in the middle of a pause leaves the state set; reset it like a host would.
    try { ex.asyncify_stop_unwind(); ex.asyncify_stop_rewind(); } catch {}
  }
  results.push({ name, outcome, log, memory: hashMemory(), globals: exportedGlobals() });
  if (outcome === 'stack-overflow') break;  // depth limits differ by design; stop comparing here
}
console.log(JSON.stringify({ results, pauses }));
