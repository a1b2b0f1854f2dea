// A minimal driver of the Asyncify protocol, shared by every benchmark that pauses a module
// instrumented by either transformer (they export the same five functions). Deliberately small
// and engine-neutral (Node and Chromium load this same file), so that the numbers measure the
// instrumented code rather than a runtime's bookkeeping.
//
// An import wrapped with `wrap` may return a plain value (no pause), a `Ready` (pause and resume
// immediately: used to measure the unwind/rewind mechanism alone) or a promise (pause until it
// settles). `callSync` drives `Ready` pauses without yielding to the event loop; `call` awaits.

const NORMAL = 0;
const UNWINDING = 1;
const REWINDING = 2;

export class Ready {
  constructor(value) {
    this.value = value;
  }
}

const isThenable = (v) => v !== null && typeof v === 'object' && typeof v.then === 'function';

export class AsyncifyDriver {
  // dataAddress/dataSize: a region of linear memory the module leaves to the host.
  constructor(dataAddress, dataSize) {
    this.dataAddress = dataAddress;
    this.dataSize = dataSize;
    this.exports = null;
    this.pending = undefined;
    this.resumeValue = undefined;
    this.lastSavedBytes = 0;
  }

  attach(instance) {
    const e = instance.exports;
    for (const name of ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind',
      'asyncify_stop_rewind', 'asyncify_get_state']) {
      if (typeof e[name] !== 'function') throw new Error(`module does not export ${name}`);
    }
    this.exports = e;
    return this;
  }

  #resetData() {
    const view = new DataView(this.exports.memory.buffer);
    view.setUint32(this.dataAddress, this.dataAddress + 8, true);
    view.setUint32(this.dataAddress + 4, this.dataAddress + this.dataSize, true);
  }

  #savedBytes() {
    const view = new DataView(this.exports.memory.buffer);
    return view.getUint32(this.dataAddress, true) - (this.dataAddress + 8);
  }

  // Wraps a host function as an import that may pause the module.
  wrap(fn) {
    return (...args) => {
      const e = this.exports;
      if (e.asyncify_get_state() === REWINDING) {
        e.asyncify_stop_rewind();
        const v = this.resumeValue;
        this.resumeValue = undefined;
        return v;
      }
      const result = fn(...args);
      if (!(result instanceof Ready) && !isThenable(result)) return result;
      this.pending = result;
      this.#resetData();
      e.asyncify_start_unwind(this.dataAddress);
      return 0;  // ignored: the caller is unwinding
    };
  }

  #unwound() {
    const e = this.exports;
    if (e.asyncify_get_state() !== UNWINDING) return false;
    e.asyncify_stop_unwind();
    this.lastSavedBytes = this.#savedBytes();
    return true;
  }

  #rewind(value) {
    this.resumeValue = value;
    this.pending = undefined;
    this.exports.asyncify_start_rewind(this.dataAddress);
  }

  // Calls an export; every pause must be a `Ready`.
  callSync(name, ...args) {
    const fn = this.exports[name];
    let result = fn(...args);
    while (this.#unwound()) {
      if (!(this.pending instanceof Ready)) throw new Error('callSync met a pause that needs awaiting');
      this.#rewind(this.pending.value);
      result = fn(...args);
    }
    if (this.exports.asyncify_get_state() !== NORMAL) throw new Error('module left in a paused state');
    return result;
  }

  // Calls an export, awaiting each pause.
  async call(name, ...args) {
    const fn = this.exports[name];
    let result = fn(...args);
    while (this.#unwound()) {
      const p = this.pending;
      this.#rewind(p instanceof Ready ? p.value : await p);
      result = fn(...args);
    }
    if (this.exports.asyncify_get_state() !== NORMAL) throw new Error('module left in a paused state');
    return result;
  }
}
