// A minimal host that speaks the Asyncify ABI directly (no runtime library): the reference
// against which transformed modules are checked, for ours and for Binaryen's output alike.
//
//   const host = new AbiHost({ dataAddress, bufferBytes });
//   const instance = await host.instantiate(bytes, imports);   // imports may be async
//   await host.call('main', ...args)
export class AbiHost {
  constructor({ dataAddress = null, bufferBytes = 64 * 1024 } = {}) {
    this.dataAddress = dataAddress;
    this.bufferBytes = bufferBytes;
    this.pending = null;
    this.unwinds = 0;
  }

  async instantiate(bytes, imports) {
    const wrapped = {};
    for (const [mod, fields] of Object.entries(imports)) {
      wrapped[mod] = {};
      for (const [name, value] of Object.entries(fields)) {
        wrapped[mod][name] = typeof value === 'function' ? this.#wrapImport(value) : value;
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, wrapped);
    this.instance = instance;
    this.exports = instance.exports;
    const memory = this.exports.asyncify_memory ?? this.exports.memory;
    this.memory = memory;
    if (this.dataAddress === null) {
      // Put the data structure and buffer in fresh pages at the end of memory.
      const pages = Math.ceil((this.bufferBytes + 16) / 65536);
      this.dataAddress = memory.grow(pages) * 65536;
    }
    return instance;
  }

  #wrapImport(fn) {
    return (...args) => {
      const e = this.exports;
      if (e.asyncify_get_state() === 2) {
        // Rewinding: the pause is over; hand back the settled value.
        e.asyncify_stop_rewind();
        const { value, error } = this.pending;
        this.pending = null;
        if (error) throw error.reason;
        return value;
      }
      const result = fn(...args);
      if (!(result instanceof Promise)) return result;
      const view = new DataView(this.memory.buffer);
      const is64 = typeof e.asyncify_start_unwind.length === 'number' && this.memory64;
      if (is64) {
        view.setBigUint64(this.dataAddress, BigInt(this.dataAddress + 16), true);
        view.setBigUint64(this.dataAddress + 8, BigInt(this.dataAddress + 16 + this.bufferBytes), true);
        e.asyncify_start_unwind(BigInt(this.dataAddress));
      } else {
        view.setUint32(this.dataAddress, this.dataAddress + 8, true);
        view.setUint32(this.dataAddress + 4, this.dataAddress + 8 + this.bufferBytes, true);
        e.asyncify_start_unwind(this.dataAddress);
      }
      this.pending = { promise: result };
      this.unwinds++;
    };
  }

  async call(name, ...args) {
    const e = this.exports;
    let result = e[name](...args);
    while (e.asyncify_get_state() === 1) {
      e.asyncify_stop_unwind();
      const p = this.pending;
      try {
        p.value = await p.promise;
      } catch (reason) {
        p.error = { reason };
      }
      e.asyncify_start_rewind(this.memory64 ? BigInt(this.dataAddress) : this.dataAddress);
      result = e[name](...args);
    }
    return result;
  }
}
