// Public entry points, shaped like WebAssembly.instantiate*/WebAssembly.Instance (and the
// `asyncify-wasm` library), choosing a backend per module.

import { AsyncifyRuntime } from './asyncify-backend.js';
import { AsyncifyConfigError } from './errors.js';
import { hasJspi, JspiRuntime } from './jspi-backend.js';
import { moduleInfo, rememberModule } from './module-info.js';
import { ASYNCIFY_EXPORTS } from './runtime-base.js';
import { SyncRuntime } from './sync-backend.js';

const BACKENDS = new Set(['auto', 'asyncify', 'jspi', 'sync']);

function logger(debug) {
  if (!debug) return () => {};
  if (typeof debug === 'function') return debug;
  return (message) => console.debug(`[asyncify] ${message}`);
}

function isInstrumented(info) {
  return [...ASYNCIFY_EXPORTS].every((name) => info.exports.get(name)?.kind === 'function');
}

function createRuntime(info, options, imports) {
  const backend = options.backend ?? 'auto';
  if (!BACKENDS.has(backend)) throw new AsyncifyConfigError(`unknown backend "${backend}"`);
  const log = logger(options.debug);
  const instrumented = isInstrumented(info);
  let chosen = backend;
  if (backend === 'auto') chosen = instrumented ? 'asyncify' : hasJspi() ? 'jspi' : 'none';
  log(`backend ${chosen}${backend === 'auto' ? ' (auto)' : ''}`);
  switch (chosen) {
    case 'asyncify':
      if (!instrumented) {
        throw new AsyncifyConfigError('backend "asyncify": the module does not export the asyncify_* API (transform it with wasm-asyncify or wasm-opt --asyncify)');
      }
      return new AsyncifyRuntime(info, options, log, imports);
    case 'jspi':
      if (!hasJspi()) throw new AsyncifyConfigError('backend "jspi": this engine lacks WebAssembly.Suspending/WebAssembly.promising');
      return new JspiRuntime(info, options, log);
    case 'sync':
      return new SyncRuntime(info, options, log, 'the backend is "sync"');
    default:
      return new SyncRuntime(info, options, log,
        'the module is not instrumented by Asyncify and this engine lacks JSPI');
  }
}

/**
 * A WebAssembly.Instance whose imports may return Promises and whose exports return Promises.
 * Construction is synchronous like WebAssembly.Instance: a start function cannot pause, and an
 * allocator-provided unwind buffer is allocated at the first export call.
 */
export class Instance extends WebAssembly.Instance {
  #exports;
  #runtime;

  constructor(module, imports = {}, options = {}) {
    const runtime = createRuntime(moduleInfo(module), options, imports);
    super(module, runtime.wrapImports(imports));
    this.#runtime = runtime;
    this.#exports = runtime.attach(super.exports, { wrapAll: options.backend !== 'sync' });
  }

  get exports() {
    return this.#exports;
  }

  /** The backend in use: 'asyncify', 'jspi' or 'sync'. */
  get backend() {
    const r = this.#runtime;
    return r instanceof AsyncifyRuntime ? 'asyncify' : r instanceof JspiRuntime ? 'jspi' : 'sync';
  }
}

function toBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  if (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) return source;
  throw new TypeError('expected a BufferSource or a WebAssembly.Module');
}

/** Compiles bytes and remembers their import types for later instantiation. */
export async function compile(bytes) {
  const source = toBytes(bytes);
  return rememberModule(await WebAssembly.compile(source), source);
}

/**
 * Like WebAssembly.instantiate: bytes give {module, instance}, a Module gives the Instance.
 */
export async function instantiate(source, imports, options) {
  if (source instanceof WebAssembly.Module) return new Instance(source, imports, options);
  const module = await compile(source);
  return { module, instance: new Instance(module, imports, options) };
}

/** Like WebAssembly.instantiateStreaming: a Response or a Promise of one. */
export async function instantiateStreaming(response, imports, options) {
  const bytes = await (await response).arrayBuffer();
  return instantiate(bytes, imports, options);
}
