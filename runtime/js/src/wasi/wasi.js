// WASI preview 1 whose calls may complete asynchronously.
//
// Calls that touch a backend or a stream return a Promise of their errno; the embedding runtime
// suspends the guest until it settles (Asyncify or JSPI). Calls that need no I/O, and stream I/O
// whose stream answers synchronously, return the errno directly so that no suspension happens.
// Every write into guest memory goes through GuestMemory, which re-reads memory.buffer, because
// the guest may have grown its memory while a call was pending.
//
// Cancellation: when options.signal aborts, a pending call completes at once with ECANCELED and
// its late results are dropped; the next call throws signal.reason through the guest's frames,
// and start() rejects with it.
import { ERRNO, RIGHTS_DIR, RIGHTS_FILE } from './constants.js';
import { DescriptorTable, DirDescriptor, InputPort, StreamDescriptor } from './descriptors.js';
import { errnoOf, WASIExit } from './errors.js';
import { GuestMemory, utf8 } from './guest-memory.js';
import { toInput, toOutput } from './streams.js';
import { miscCalls } from './calls-misc.js';
import { fdCalls } from './calls-fd.js';
import { pathCalls } from './calls-path.js';
import { pollCalls } from './calls-poll.js';

/**
 * Imports that may return a Promise. A module run under Asyncify must be instrumented for
 * (at least) these: `--pass-arg=asyncify-imports@` + ASYNC_IMPORTS.map(n => `wasi_snapshot_preview1.${n}`).
 */
export const ASYNC_IMPORTS = Object.freeze([
  'fd_allocate', 'fd_close', 'fd_datasync', 'fd_filestat_get', 'fd_filestat_set_size',
  'fd_filestat_set_times', 'fd_pread', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber',
  'fd_seek', 'fd_sync', 'fd_write', 'path_create_directory', 'path_filestat_get',
  'path_filestat_set_times', 'path_link', 'path_open', 'path_readlink', 'path_remove_directory',
  'path_rename', 'path_symlink', 'path_unlink_file', 'poll_oneoff', 'sched_yield',
]);

const MAX_TIMER_MS = 2 ** 31 - 1;

export class WASI {
  #mem;
  #signal;
  #returnOnExit;
  #outputs;
  #canceled; // resolves to ECANCELED once the signal aborts
  #started = false;

  /**
   * @param {object} [options]
   * @param {string[]} [options.args]
   * @param {Record<string,string>|string[]} [options.env] object or 'KEY=value' strings
   * @param {Record<string, object>} [options.preopens] guest directory name -> backend
   * @param {*} [options.stdin]  string, bytes, Node/web stream or {read(n)}
   * @param {*} [options.stdout] Node/web stream or {write(bytes)}
   * @param {*} [options.stderr] Node/web stream or {write(bytes)}
   * @param {AbortSignal} [options.signal] stops the program
   * @param {boolean} [options.returnOnExit=true] false: proc_exit ends the Node process
   */
  constructor({ args = [], env = {}, preopens = {}, stdin, stdout, stderr, signal, returnOnExit = true } = {}) {
    this.#signal = signal ?? null;
    this.#returnOnExit = returnOnExit;
    this.#mem = new GuestMemory(() => this.#checkRunning());
    this.#canceled = signal
      ? new Promise((resolve) => signal.addEventListener('abort', () => resolve(ERRNO.ECANCELED), { once: true }))
      : null;

    const fds = new DescriptorTable();
    this.#outputs = [toOutput(stdout), toOutput(stderr)];
    fds.add(new StreamDescriptor({ input: new InputPort(toInput(stdin)) }));
    fds.add(new StreamDescriptor({ output: this.#outputs[0] }));
    fds.add(new StreamDescriptor({ output: this.#outputs[1] }));
    for (const [name, backend] of Object.entries(preopens)) {
      if (!backend || typeof backend.lstat !== 'function') throw new TypeError(`preopen ${name} is not a backend`);
      fds.add(new DirDescriptor(backend, '', RIGHTS_DIR, RIGHTS_DIR | RIGHTS_FILE, name));
    }

    const envList = Array.isArray(env) ? env : Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const context = {
      mem: this.#mem,
      fds,
      args: args.map((a) => utf8(String(a))),
      env: envList.map((e) => utf8(String(e))),
      sleep: (ns, timers) => this.#sleep(ns, timers),
      yieldToHost: () => new Promise((resolve) => setTimeout(resolve, 0)),
    };
    const calls = { ...miscCalls(context), ...fdCalls(context), ...pathCalls(context), ...pollCalls(context) };
    this.wasiImport = Object.fromEntries(Object.entries(calls).map(([name, fn]) => [name, this.#wrap(fn)]));
  }

  /** The import object for WebAssembly instantiation. */
  getImportObject() { return { wasi_snapshot_preview1: this.wasiImport }; }

  /** Runs a command: calls _start, resolves to its exit code (0 when _start returns). */
  async start(instance) {
    const { _start } = instance.exports;
    if (typeof _start !== 'function') throw new TypeError('the instance has no _start export');
    this.#bind(instance);
    let code = 0;
    try {
      await _start();
    } catch (error) {
      if (!(error instanceof WASIExit) || this.#signal?.aborted) this.#rethrow(error);
      code = error.code;
    }
    this.#checkRunning();
    await Promise.all(this.#outputs.map((o) => o.flush?.()));
    if (!this.#returnOnExit && globalThis.process?.exit) globalThis.process.exit(code);
    return code;
  }

  /** Prepares a reactor: calls _initialize when the module has one. */
  async initialize(instance) {
    this.#bind(instance);
    const { _initialize } = instance.exports;
    try {
      if (typeof _initialize === 'function') await _initialize();
    } catch (error) {
      this.#rethrow(error);
    }
  }

  #bind(instance) {
    if (this.#started) throw new Error('this WASI object was already started');
    this.#started = true;
    this.#mem.bind(instance.exports.memory);
    this.#checkRunning();
  }

  #rethrow(error) {
    this.#checkRunning();
    throw error;
  }

  #checkRunning() {
    if (this.#signal?.aborted) throw this.#signal.reason;
  }

  #wrap(fn) {
    return (...args) => {
      this.#checkRunning();
      let result;
      try {
        result = fn(...args);
      } catch (error) {
        return this.#errno(error);
      }
      if (!result || typeof result.then !== 'function') return result;
      const settled = result.then(undefined, (error) => this.#errno(error));
      return this.#canceled ? Promise.race([settled, this.#canceled]) : settled;
    };
  }

  #errno(error) {
    if (error instanceof WASIExit || (this.#signal?.aborted && error === this.#signal.reason)) throw error;
    const errno = errnoOf(error) ?? (error instanceof RangeError ? ERRNO.EFAULT : undefined);
    if (errno === undefined) throw error; // a bug, not a guest-visible failure
    return errno;
  }

  #sleep(ns, timers) {
    return new Promise((resolve) => {
      let id;
      let left = Number((ns + 999_999n) / 1_000_000n);
      const stop = () => {
        clearTimeout(id);
        this.#signal?.removeEventListener('abort', stop);
        resolve();
      };
      const step = () => {
        if (left <= 0) { stop(); return; }
        const ms = Math.min(left, MAX_TIMER_MS);
        left -= ms;
        id = setTimeout(step, ms);
      };
      timers.add(() => clearTimeout(id));
      // An aborted program must not keep a timer (and a Node process) alive.
      this.#signal?.addEventListener('abort', stop, { once: true });
      step();
    });
  }
}
