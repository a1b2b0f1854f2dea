// Runs one module's exports and reports what they did, so that the original module can be
// compared with its Asyncify-transformed version. Browser-safe: run-module.mjs runs it in Node,
// chromium-runner.mjs in Chromium (GC, exnref and the rest of what Node 20 cannot run).
//   plain: imports answer at once.
//   pause: the module is transformed; every logging import (and `sleep`) unwinds the stack,
//          waits for a microtask and rewinds (the Asyncify protocol), as an async host would.
// Exports run in order, each after `hangLimitInitializer` (Binaryen's -ttf bound on loops and
// recursion), with zero/null arguments. Per export: the result or trap, the imports' log, a hash
// of the exported memory and the exported globals' values.
//
// The imports are those of Binaryen's -ttf ("fuzzing-support"): logging, throwing a JS or a wasm
// exception, table access, calling an export or a function reference back (its exceptions
// caught or not), sleep, the tags and extern globals. A call back into the module runs nested
// and never pauses (its imports answer at once).
import { readSignatures } from '../../tests/exec/lib/wasm-signatures.mjs';

const ASYNCIFY_EXPORTS = /^asyncify_|^__asyncify/;
const UNWINDING = 1, REWINDING = 2;

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

function argumentsFor(params) {
  return params.map((t) => (t === 'i64' ? 0n : t === 'i32' || t === 'f32' || t === 'f64' ? 0 : null));
}

function outcomeOf(error) {
  if (error instanceof RangeError && /call stack/.test(error.message)) return 'stack-overflow';
  if (error instanceof WebAssembly.RuntimeError) return `trap: ${error.message}`;
  if (error instanceof WebAssembly.Exception) return 'wasm exception';
  if (error?.constructor) return `${error.constructor.name}: ${error.message}`;
  return `thrown ${describe(error)}`;
}

// Returns { results, pauses }, or { instantiate: why } when the module cannot be instantiated.
export async function runModule(bytes, mode) {
  const signatures = readSignatures(bytes).exports;
  const tag = new WebAssembly.Tag({ parameters: ['i32'] });
  let instance;
  let log = [];
  let pauses = 0;
  let nested = 0;  // calls back into the module from an import: they never pause
  let pending = null;  // the import call being paused: its log entry, the memory it saved

  // Imports called by the start function run before the instance exists: they answer at once.
  const exported = () => instance?.exports ?? {};
  const memory = () => exported().memory;
  // The unwind data: at address 0 of a memory of its own (--secondary-memory) when there is one,
  // else of the program's memory, which is then saved around the pause.
  const dataMemory = () => exported().asyncify_memory ?? memory();
  const table = () => Object.values(exported()).find((v) => v instanceof WebAssembly.Table);
  const callable = () => Object.entries(exported())
    .filter(([name, v]) => typeof v === 'function' && !ASYNCIFY_EXPORTS.test(name));

  // Calls back into the module, as the host of Binaryen's fuzzer does.
  function reenter(fn, args) {
    nested++;
    try {
      return fn(...args);
    } finally {
      nested--;
    }
  }
  function callExport(index) {
    const list = callable();
    if (list.length === 0) throw new Error('no exports');
    const [name, fn] = list[(index >>> 0) % list.length];
    return reenter(fn, argumentsFor(signatures.get(name)?.params ?? []));
  }
  const caught = (f) => {
    try {
      f();
      return 0;
    } catch {
      return 1;
    }
  };

  // An import that may pause; `answer` is what it returns.
  function pausing(name, answer = () => undefined) {
    return (...args) => {
      const entry = `${name}(${args.map(describe).join(',')})`;
      const ex = exported();
      if (!instance) {
        log.push(entry);
        return answer(...args);
      }
      if (mode === 'pause' && nested === 0 && ex.asyncify_get_state() === REWINDING) {
        // The rewind must arrive back at the very call that paused, with the same arguments.
        if (!pending || pending.entry !== entry) log.push(`REWOUND INTO ${entry}, paused at ${pending?.entry}`);
        ex.asyncify_stop_rewind();
        if (pending?.saved) new Uint8Array(memory().buffer).set(pending.saved);
        pending = null;
        return answer(...args);
      }
      log.push(entry);
      const data = dataMemory();
      if (mode === 'pause' && nested === 0 && data && data.buffer.byteLength >= 1024) {
        // Unwind data written into the program's memory must not be seen by the program: the
        // memory is saved here and restored once the rewind has consumed the data.
        const own = data !== memory();
        pending = { entry, saved: own ? null : new Uint8Array(data.buffer).slice() };
        const header = new Int32Array(data.buffer, 0, 2);
        header[0] = 8;
        header[1] = Math.min(data.buffer.byteLength, 1 << 24);
        ex.asyncify_start_unwind(0);
        pauses++;
        return undefined;  // ignored by the unwinding caller (a zero of the result type)
      }
      return answer(...args);
    };
  }

  const support = {
    throw: (which) => {
      if (!which) throw new Error('js exception');
      throw new WebAssembly.Exception(tag, [which]);
    },
    'table-get': (index) => table().get(index >>> 0),
    'table-set': (index, value) => table().set(index >>> 0, value),
    'call-export': (index) => void callExport(index),
    'call-export-catch': (index) => caught(() => callExport(index)),
    'call-ref': (ref) => void reenter(ref, []),
    'call-ref-catch': (ref) => caught(() => reenter(ref, [])),
    sleep: pausing('sleep', (ms, id) => id),
    wasmtag: tag,
  };
  if (WebAssembly.JSTag) support.jstag = WebAssembly.JSTag;
  for (const t of ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', 'anyref']) {
    support[`log-${t}`] = pausing(`log-${t}`);
  }
  // Binaryen's fuzzer imports externref globals under names it makes up.
  const externs = new Proxy({}, { get: (_, name) => (typeof name === 'string' ? `extern ${name}` : undefined) });

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
    for (const [name, value] of Object.entries(exported())) {
      if (!(value instanceof WebAssembly.Global) || ASYNCIFY_EXPORTS.test(name)) continue;
      try { out[name] = describe(value.value); } catch (e) { out[name] = e.constructor.name; }
    }
    return out;
  }

  async function call(fn, args) {
    const ex = exported();
    let result = fn(...args);
    while (mode === 'pause' && ex.asyncify_get_state() === UNWINDING) {
      ex.asyncify_stop_unwind();
      await Promise.resolve();
      ex.asyncify_start_rewind(0);
      result = fn(...args);
    }
    return result;
  }

  try {
    ({ instance } = await WebAssembly.instantiate(bytes, { 'fuzzing-support': support, __fuzz_import: externs }));
  } catch (e) {
    return { instantiate: outcomeOf(e) };
  }
  const results = [];
  for (const [name, { params }] of signatures) {
    if (ASYNCIFY_EXPORTS.test(name)) continue;
    const ex = exported();
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
      if (pending?.saved) new Uint8Array(memory().buffer).set(pending.saved);
      pending = null;
      // A trap in the middle of a pause leaves the state set; reset it like a host would.
      try { ex.asyncify_stop_unwind(); ex.asyncify_stop_rewind(); } catch {}
    }
    results.push({ name, outcome, log, memory: hashMemory(), globals: exportedGlobals() });
    if (outcome === 'stack-overflow') break;  // depth limits differ by design; stop comparing here
  }
  return { results, pauses };
}
