// Type declarations for the runtime (written by hand; the package is plain JavaScript).

/** Which mechanism lets imports pause. */
export type Backend = 'auto' | 'asyncify' | 'jspi' | 'sync';

/** Where the Asyncify unwind buffer lives: an explicit region of the memory. */
export interface BufferRegion {
  /** Start address (i64 memories: Number or BigInt). */
  address: number | bigint;
  /** Size in bytes, including the 8-byte (16 on memory64) [current, end] header. */
  size: number | bigint;
}

export interface Options {
  /**
   * 'auto' (default): Asyncify when the module exports the asyncify_* API, else JSPI when the
   * engine has WebAssembly.Suspending/promising, else exports still return Promises but an import
   * returning a Promise is an AsyncifyImportError. 'sync': nothing is wrapped.
   */
  backend?: Backend;
  /**
   * Which function exports return Promises (names, or a predicate). The others stay synchronous;
   * under Asyncify, an async import reached from them is an AsyncifyImportError.
   * Default: every function export except the asyncify_* API.
   */
  exports?: string[] | ((name: string) => boolean);
  /**
   * Cancels pauses: when it aborts, every import Promise the instance is waiting for settles as
   * a rejection with `signal.reason` (so a Promise that never settles cannot hold the instance),
   * and the instance recovers as from a rejected import.
   */
  signal?: AbortSignal;
  /** An explicit unwind buffer region. */
  buffer?: BufferRegion;
  /**
   * Exports giving the buffer's address and size (globals, or functions called once).
   * Default ['asyncify_buffer', 'asyncify_buffer_size'] (used when the module exports them).
   */
  bufferExports?: [address: string, size: string];
  /**
   * Buffer size in bytes: for an allocator (default 16384), or when the address export has
   * no size export, or to limit a secondary memory.
   */
  bufferSize?: number;
  /**
   * Exported allocator called once for the buffer (at the first export call other than
   * `_initialize`). 'malloc' is used automatically when exported by a module without `_start`:
   * WASI command modules run constructors and destructors around every export call other than
   * `_start`, so calling their allocator disturbs them.
   */
  allocator?: string;
  /**
   * Name of an exported memory holding the Asyncify data (a module transformed with
   * asyncify-in-secondary-memory whose second memory is exported): the [current, end] header
   * and the frames go there, from address 0. Default: the export "asyncify_memory" when present
   * (the memory `wasm-asyncify --secondary-memory` adds).
   */
  dataMemory?: string;
  /** Name of the exported memory holding the buffer (default 'memory', else the imported one). */
  memory?: string;
  /** Log decisions and every pause/resume: true for console.debug, or a function. */
  debug?: boolean | ((message: string) => void);
}


/**
 * A WebAssembly.Instance whose imports may return Promises. Construction is synchronous:
 * the start function cannot pause. Exports return Promises (see Options.exports).
 */
export class Instance extends WebAssembly.Instance {
  constructor(module: WebAssembly.Module, imports?: WebAssembly.Imports, options?: Options);
  readonly exports: WebAssembly.Exports;
  /** The backend chosen for this instance. */
  readonly backend: 'asyncify' | 'jspi' | 'sync';
}

export interface ResultObject {
  module: WebAssembly.Module;
  instance: Instance;
}

/** Compiles bytes, keeping their import types (exact placeholders for i64 and multi-value). */
export function compile(bytes: ArrayBuffer | ArrayBufferView): Promise<WebAssembly.Module>;

/** Like WebAssembly.instantiate. */
export function instantiate(bytes: ArrayBuffer | ArrayBufferView, imports?: WebAssembly.Imports, options?: Options): Promise<ResultObject>;
export function instantiate(module: WebAssembly.Module, imports?: WebAssembly.Imports, options?: Options): Promise<Instance>;

/** Like WebAssembly.instantiateStreaming (any Content-Type is accepted). */
export function instantiateStreaming(
  source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports, options?: Options,
): Promise<ResultObject>;

/**
 * Marks an async import whose rejection is returned into wasm as `value` (or `value(error)`)
 * instead of rejecting the export.
 */
export function rejectAs<F extends (...args: any[]) => any>(fn: F, value: unknown | ((error: unknown) => unknown)): F;

/**
 * Marks an async import that calls back into the instance's exports after an `await`: while its
 * Promise is pending, export calls run nested instead of waiting in the queue.
 */
export function reentrant<F extends (...args: any[]) => any>(fn: F): F;

/** True when the engine has WebAssembly.Suspending and WebAssembly.promising. */
export function hasJspi(): boolean;

export class AsyncifyError extends Error {}
/** The unwind buffer was too small; the instance was reset. */
export class AsyncifyBufferOverflowError extends AsyncifyError {}
/** An export was called in the middle of an unwind or rewind, or the state was unexpected. */
export class AsyncifyStateError extends AsyncifyError {}
/** An import paused where the module cannot pause (not instrumented, or a synchronous context). */
export class AsyncifyImportError extends AsyncifyError {}
/** Options or module shape prevent safe operation (e.g. no unwind buffer configured). */
export class AsyncifyConfigError extends AsyncifyError {}
