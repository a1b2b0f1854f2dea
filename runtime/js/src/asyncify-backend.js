// Asyncify backend: the module was instrumented (by `wasm-opt --asyncify` or wasm-asyncify) and
// exports asyncify_{start,stop}_{unwind,rewind} and asyncify_get_state.
//
// A pausing import stores [current, end] in the unwind buffer, starts unwinding and returns a
// placeholder; the export then returns with state 1. The runtime stops the unwind, awaits the
// Promise, starts rewinding and calls the export again with its original arguments; the module
// rebuilds its stack, calls the same import, which sees state 2, stops the rewind and returns
// the settled value. This repeats while the export keeps pausing.

import {
  AsyncifyBufferOverflowError, AsyncifyConfigError, AsyncifyImportError, AsyncifyStateError,
} from './errors.js';
import { rejectionValue } from './markers.js';
import { RuntimeBase } from './runtime-base.js';
import { planUnwindBuffer } from './unwind-buffer.js';
import { isThenable, placeholderResult } from './values.js';
import { raceAbort } from './abort.js';

const NORMAL = 0;
const UNWINDING = 1;
const REWINDING = 2;
const STATE_NAMES = ['running normally', 'unwinding', 'rewinding'];

const DONE = Symbol('done');
const PAUSED = Symbol('paused');

export class AsyncifyRuntime extends RuntimeBase {
  /** Calls whose wasm frames are on the JS stack right now, innermost last. */
  #running = [];
  #makeBuffer = null;
  buffer = null;

  constructor(info, options, log, imports) {
    super(info, options, log);
    this.imports = imports;
  }

  attach(raw) {
    const exports = super.attach(raw);
    const startType = this.info.exports.get('asyncify_start_unwind')?.type;
    const is64 = startType ? startType.params[0] === 'i64' : probeTakesBigInt(raw);
    const plan = planUnwindBuffer(this.options, raw, this.info, this.imports, is64, this.log);
    this.#makeBuffer = plan.make;
    if (!plan.lazy) this.buffer = plan.make();
    return exports;
  }

  /** Marks the synchronous export's frames so that a pause inside it is refused, not misattributed. */
  wrapSyncExport(name, fn) {
    const running = this.#running;
    const marker = { name, synchronous: true };
    return {
      [name](...args) {
        running.push(marker);
        try {
          return fn(...args);
        } finally {
          running.pop();
        }
      },
    }[name];
  }

  state() {
    return this.raw.asyncify_get_state();
  }

  wrapImport(key, fn, type) {
    const runtime = this;
    const results = type ? type.results : null;
    return function asyncifyImport(...args) {
      if (runtime.raw) {
        const state = runtime.state();
        if (state === REWINDING) return runtime.#finishRewind(key);
        if (state === UNWINDING) {
          throw new AsyncifyImportError(
            `import "${key}" was called while the stack was unwinding: the code that called the ` +
            `pausing import "${runtime.#running.at(-1)?.pending?.key}" is not instrumented (is that import missing from asyncify-imports?)`);
        }
      }
      const result = runtime.invokeImport(fn, args);
      if (!isThenable(result)) return result;
      return runtime.#startUnwind(key, fn, runtime.trackReentrant(fn, result), results);
    };
  }

  #startUnwind(key, fn, promise, results) {
    const call = this.#running.at(-1);
    if (!call || call.synchronous) {
      Promise.resolve(promise).catch(() => {});
      throw new AsyncifyImportError(
        `import "${key}" returned a Promise outside an asynchronous export call (start function or an export excluded by options.exports)`);
    }
    if (!this.buffer) {
      // Only `_initialize` runs before an allocator-provided buffer exists; calling the
      // allocator from here would re-enter the module in the middle of a call.
      Promise.resolve(promise).catch(() => {});
      throw new AsyncifyConfigError(`import "${key}" paused "${call.name}" before the unwind buffer was allocated`);
    }
    const address = this.buffer.freeAddress();
    if (address + this.buffer.header > this.buffer.end) {
      Promise.resolve(promise).catch(() => {});
      throw new AsyncifyBufferOverflowError(`no space left in the unwind buffer for "${call.name}" (paused calls fill it)`);
    }
    this.buffer.writeHeader(address);
    call.pending = { key, fn, promise, region: { address, current: address } };
    if (this.debug) this.log(`${key} paused ${call.name}; unwinding with data at ${address}`);
    this.raw.asyncify_start_unwind(this.buffer.pointer(address));
    return placeholderResult(results);
  }

  #finishRewind(key) {
    const call = this.#running.at(-1);
    const pending = call?.pending;
    if (!pending || !pending.ready) {
      throw new AsyncifyStateError(`import "${key}" was called while rewinding, but no call is being resumed`);
    }
    if (pending.key !== key) {
      throw new AsyncifyImportError(`rewinding reached import "${key}", but "${pending.key}" is the one that paused`);
    }
    this.raw.asyncify_stop_rewind();
    call.pending = null;
    if (this.debug) this.log(`${key} resumed ${call.name}`);
    return pending.settled;
  }

  async execute(call) {
    if (!this.buffer && this.#running.length === 0 && call.name !== '_initialize') {
      this.buffer = this.#makeBuffer();
    }
    let outcome = this.#step(call, false);
    while (outcome === PAUSED) {
      const { pending } = call;
      try {
        pending.settled = await raceAbort(pending.promise, this.signal);
      } catch (error) {
        const mapped = rejectionValue(pending.fn, error);
        this.buffer.release(pending.region);
        if (!mapped) {
          call.pending = null;
          if (this.debug) this.log(`${pending.key} rejected; ${call.name} fails`);
          throw error;
        }
        pending.settled = mapped.value;
      }
      pending.ready = true;
      await this.scheduler.untilTop(call);
      this.buffer.release(pending.region);
      if (this.debug) this.log(`rewinding ${call.name}`);
      this.raw.asyncify_start_rewind(this.buffer.pointer(pending.region.address));
      outcome = this.#step(call, true);
    }
    return call.result;
  }

  #step(call, rewinding) {
    if (!rewinding) {
      const state = this.state();
      if (state !== NORMAL) {
        throw new AsyncifyStateError(`export "${call.name}" was called while the instance is ${STATE_NAMES[state] ?? `in state ${state}`}`);
      }
    }
    this.#running.push(call);
    let result;
    try {
      result = call.fn(...call.args);
    } catch (error) {
      this.#running.pop();
      throw this.#recover(call, error);
    }
    this.#running.pop();
    const state = this.state();
    if (state === NORMAL) {
      if (call.pending) {
        const { key } = call.pending;
        call.pending = null;
        throw this.#recover(call, new AsyncifyImportError(`"${call.name}" finished without resuming through import "${key}"`));
      }
      call.result = result;
      return DONE;
    }
    if (state === REWINDING) {
      throw this.#recover(call, new AsyncifyStateError(`"${call.name}" returned while rewinding: the rewind never reached the paused import`));
    }
    if (!call.pending) {
      throw this.#recover(call, new AsyncifyStateError(`"${call.name}" returned while unwinding, but no import paused it`));
    }
    const { region } = call.pending;
    try {
      this.raw.asyncify_stop_unwind();
    } catch (error) {
      throw this.#recover(call, error);
    }
    region.current = this.buffer.readHeader(region.address)[0];
    this.buffer.hold(region);
    if (this.debug) this.log(`${call.name} unwound: ${region.current - region.address} bytes`);
    return PAUSED;
  }

  /** Puts the instance back to the normal state after a failure and names the failure. */
  #recover(call, error) {
    const pending = call.pending;
    call.pending = null;
    const state = this.state();
    let overflow = false;
    if (pending && this.buffer) {
      const [current, end] = this.buffer.readHeader(pending.region.address);
      // Binaryen writes past `end` and traps at the next API call; wasm-asyncify traps before
      // writing. A trap while unwinding our own pause is that bound check (instrumented code
      // does nothing else while unwinding).
      overflow = current > end || (state === UNWINDING && error instanceof WebAssembly.RuntimeError);
      this.buffer.release(pending.region);
      this.buffer.writeHeader(pending.region.address);
    }
    if (state === UNWINDING) this.raw.asyncify_stop_unwind();
    else if (state === REWINDING) this.raw.asyncify_stop_rewind();
    if (overflow) {
      pending.promise.catch?.(() => {});
      const size = this.buffer.size;
      return new AsyncifyBufferOverflowError(
        `unwind buffer too small (${size} bytes) to pause "${call.name}" at import "${pending.key}"; the instance was reset (raise options.bufferSize or the exported buffer size; a trap while unwinding can also mean a function on the stack is not instrumented)`,
        { cause: error });
    }
    if (pending && error instanceof Error) pending.promise.catch?.(() => {});
    return error;
  }
}

/**
 * For a compiled Module without bytes or type reflection: does the API take i64 pointers?
 * Argument conversion happens before entering wasm: a BigInt-valued argument is rejected with a
 * TypeError by an i32 parameter. An i64 parameter accepts it, which starts an unwind on address
 * 0 (only globals change; memory is read, not written), so the state is reset right away.
 */
function probeTakesBigInt(raw) {
  try {
    raw.asyncify_start_unwind({ valueOf: () => 0n });
  } catch (error) {
    if (error instanceof TypeError) return false;
  }
  try {
    raw.asyncify_stop_unwind();
  } catch {
    // The state is reset before the bounds check that may trap here.
  }
  return true;
}
