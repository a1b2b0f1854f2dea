// What every backend shares: building the import object handed to the engine, wrapping the
// exports into Promise-returning functions, queueing calls and restoring `__stack_pointer`.

import { CallScheduler } from './scheduler.js';
import { isReentrant } from './markers.js';
import { checkSignal } from './abort.js';

export const ASYNCIFY_EXPORTS = new Set([
  'asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind',
  'asyncify_stop_rewind', 'asyncify_get_state',
]);

function exportFilter(option) {
  if (option === undefined) return (name) => !ASYNCIFY_EXPORTS.has(name);
  if (typeof option === 'function') return option;
  if (Array.isArray(option)) {
    const names = new Set(option);
    return (name) => names.has(name);
  }
  throw new TypeError('options.exports must be an array of export names or a predicate');
}

export class RuntimeBase {
  /** Number of import calls currently executing synchronously (wasm is on the JS stack). */
  inImport = 0;
  /** Pending Promises of reentrant-marked imports. */
  reentrantPending = 0;
  raw = null;
  stackPointer = null;

  constructor(info, options, log) {
    this.info = info;
    this.options = options;
    this.log = log;
    // Checked before building log lines: they would cost more than the call itself.
    this.debug = Boolean(options.debug);
    this.signal = checkSignal(options.signal);
    this.scheduler = new CallScheduler({
      canNest: () => this.inImport > 0 || this.reentrantPending > 0,
      onBusy: () => { this.idleStackPointer = this.stackPointer?.value; },
      onIdle: () => this.restoreStackPointer(this.idleStackPointer),
    });
  }

  /** Builds the import object: each function import the module declares goes through the backend. */
  wrapImports(imports) {
    const result = Object.create(null);
    for (const entry of this.info.imports) {
      const namespace = imports?.[entry.module];
      if (namespace === undefined || namespace === null) continue;
      result[entry.module] ??= Object.create(null);
      const value = namespace[entry.name];
      if (entry.kind === 'function' && typeof value === 'function') {
        result[entry.module][entry.name] = this.wrapImport(`${entry.module}.${entry.name}`, value, entry.type ?? null);
      } else {
        result[entry.module][entry.name] = value;
      }
    }
    return result;
  }

  /** Tracks the synchronous part of an import call and the life of a reentrant import's Promise. */
  invokeImport(fn, args) {
    this.inImport++;
    let result;
    try {
      result = fn(...args);
    } finally {
      this.inImport--;
    }
    return result;
  }

  trackReentrant(fn, promise) {
    if (!isReentrant(fn)) return promise;
    this.reentrantPending++;
    const done = () => { this.reentrantPending--; };
    return Promise.resolve(promise).finally(done);
  }

  /** Called once the engine has instantiated the module; returns the exports object. */
  attach(raw, { wrapAll = true } = {}) {
    this.raw = raw;
    const sp = raw.__stack_pointer;
    if (sp instanceof WebAssembly.Global) {
      try {
        sp.value = sp.value; // eslint-disable-line no-self-assign -- probes mutability
        this.stackPointer = sp;
      } catch {
        this.stackPointer = null;
      }
    }
    const wanted = exportFilter(this.options.exports);
    const exports = Object.create(null);
    for (const [name, value] of Object.entries(raw)) {
      if (typeof value !== 'function' || ASYNCIFY_EXPORTS.has(name)) exports[name] = value;
      else if (wrapAll && wanted(name)) exports[name] = this.wrapExport(name, value);
      else exports[name] = this.wrapSyncExport(name, value);
    }
    return Object.freeze(exports);
  }

  /** Exports left synchronous; a backend may need to know when they run. */
  wrapSyncExport(name, fn) {
    return fn;
  }

  wrapExport(name, fn) {
    const runtime = this;
    const wrapped = {
      [name](...args) {
        const call = { name, fn, args, entryStackPointer: undefined };
        return runtime.scheduler.submit(call, (c) => runtime.startCall(c));
      },
    }[name];
    return wrapped;
  }

  startCall(call) {
    call.entryStackPointer = this.stackPointer?.value;
    if (this.debug) this.log(`call ${call.name}`);
    return this.execute(call).catch((error) => {
      // The abandoned frames skipped their epilogues; give their shadow stack back, unless
      // a call started later still owns the space below.
      if (this.scheduler.isTop(call)) this.restoreStackPointer(call.entryStackPointer);
      throw error;
    });
  }

  restoreStackPointer(value) {
    if (this.stackPointer && value !== undefined && this.stackPointer.value !== value) {
      if (this.debug) this.log(`restore __stack_pointer to ${value}`);
      this.stackPointer.value = value;
    }
  }
}
