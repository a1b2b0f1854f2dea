// A minimal host that speaks the Asyncify ABI directly (no runtime library): the reference
// against which transformed modules are checked, for ours and for Binaryen's output alike.
//
//   const host = new AbiHost({ dataAddress, bufferBytes });
//   const instance = await host.instantiate(bytes, imports);   // imports may be async
//   await host.call('main', ...args)
//
// Beyond the basic loop it handles what a sloppy host gets wrong, so that failures point at the
// module and not at the harness:
// - an unwinding import returns a placeholder of its real result type (0n for i64, an array for
//   several results), read from the binary;
// - memory64 modules (pointers as BigInt, 8-byte header fields);
// - concurrent and nested calls: each call owns an unwind region, so a second call started while
//   the first is paused (or from inside the first one's pausing import) does not overwrite the
//   first one's saved frames;
// - on rewind the pausing import must be re-called with the same arguments; anything else is
//   reported as an error (checkRewindArgs: false turns that off);
// - highWater: the most buffer bytes any unwind used, for sizing tests;
// - garbageRewindArgs: re-enter exports with junk arguments, which the module must ignore.
import { readSignatures, placeholderResult } from './lib/wasm-signatures.mjs';

const UNWINDING = 1;
const REWINDING = 2;

export class AbiHost {
  constructor({
    dataAddress = null, bufferBytes = 64 * 1024, checkRewindArgs = true, memoryExport = null,
    garbageRewindArgs = false,
  } = {}) {
    this.dataAddress = dataAddress;
    this.bufferBytes = bufferBytes;
    this.checkRewindArgs = checkRewindArgs;
    this.memoryExport = memoryExport;
    // The ABI lets a runtime pass anything to the export it re-enters for a rewind.
    this.garbageRewindArgs = garbageRewindArgs;
    this.unwinds = 0;
    this.highWater = 0; // most bytes of saved frames seen after an unwind
    this.memory64 = false;
    this.#free = [];
  }

  #free;
  #active = null;

  async instantiate(bytes, imports) {
    const signatures = readSignatures(bytes);
    const wrapped = {};
    for (const [mod, fields] of Object.entries(imports)) {
      wrapped[mod] = {};
      for (const [name, value] of Object.entries(fields)) {
        const key = `${mod}.${name}`;
        const signature = signatures.imports.get(key);
        wrapped[mod][name] =
          typeof value === 'function' && signature ? this.#wrapImport(key, value, signature) : value;
      }
    }
    const { instance } = await WebAssembly.instantiate(bytes, wrapped);
    this.instance = instance;
    this.exports = instance.exports;
    const startUnwind = signatures.exports.get('asyncify_start_unwind');
    if (!startUnwind) throw new Error('module does not export asyncify_start_unwind');
    this.memory64 = startUnwind.params[0] === 'i64';
    this.memory = this.memoryExport
      ? this.exports[this.memoryExport]
      : this.exports.asyncify_memory ?? this.exports.memory;
    if (this.dataAddress === null) this.dataAddress = this.allocateRegion(this.bufferBytes);
    this.#free.push({ address: this.dataAddress, bytes: this.bufferBytes });
    return instance;
  }

  get headerBytes() {
    return this.memory64 ? 16 : 8;
  }

  // Fresh pages at the end of memory for a data structure (header + buffer of `bytes`).
  allocateRegion(bytes) {
    const pages = Math.ceil((bytes + 16) / 65536);
    let old;
    try {
      old = this.memory.grow(pages);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      old = this.memory.grow(BigInt(pages));
    }
    return Number(old) * 65536;
  }

  // Writes [current, end] for an empty buffer of `bytes` right after the header at `address`.
  writeHeader(address, bytes) {
    const view = new DataView(this.memory.buffer);
    const start = address + this.headerBytes;
    if (this.memory64) {
      view.setBigUint64(address, BigInt(start), true);
      view.setBigUint64(address + 8, BigInt(start + bytes), true);
    } else {
      view.setUint32(address, start, true);
      view.setUint32(address + 4, start + bytes, true);
    }
  }

  // The `current` field: how far the saved frames reach.
  cursor(address) {
    const view = new DataView(this.memory.buffer);
    return this.memory64 ? Number(view.getBigUint64(address, true)) : view.getUint32(address, true);
  }

  pointer(address) {
    return this.memory64 ? BigInt(address) : address;
  }

  #wrapImport(key, fn, signature) {
    const placeholder = placeholderResult(signature.results);
    return (...args) => {
      const e = this.exports;
      const ctx = this.#active;
      if (e.asyncify_get_state() === REWINDING) {
        // Rewinding: the pause is over; hand back the settled value.
        if (!ctx?.pending) throw new Error(`rewind reached ${key} but nothing is pending`);
        e.asyncify_stop_rewind();
        const pending = ctx.pending;
        ctx.pending = null;
        if (pending.key !== key) throw new Error(`paused in ${pending.key} but rewind reached ${key}`);
        if (this.checkRewindArgs && !sameValues(pending.args, args)) {
          throw new Error(`${key} rewound with arguments (${args}) instead of (${pending.args})`);
        }
        if (pending.error) throw pending.error.reason;
        return pending.value;
      }
      const result = fn(...args);
      if (!(result instanceof Promise)) return result;
      if (!ctx) throw new Error(`${key} returned a Promise outside AbiHost.call()`);
      if (ctx.pending) throw new Error(`${key} paused while ${ctx.pending.key} is already paused`);
      this.writeHeader(ctx.region.address, ctx.region.bytes);
      e.asyncify_start_unwind(this.pointer(ctx.region.address));
      ctx.pending = { promise: result, args, key };
      this.unwinds++;
      return placeholder;
    };
  }

  #enter(ctx, fn) {
    const outer = this.#active;
    this.#active = ctx;
    try {
      return fn();
    } finally {
      this.#active = outer;
    }
  }

  async call(name, ...args) {
    const e = this.exports;
    const region = this.#free.pop() ?? { address: this.allocateRegion(this.bufferBytes), bytes: this.bufferBytes };
    const ctx = { region, pending: null };
    try {
      let result = this.#enter(ctx, () => e[name](...args));
      while (e.asyncify_get_state() === UNWINDING) {
        const used = this.cursor(region.address) - (region.address + this.headerBytes);
        this.highWater = Math.max(this.highWater, used);
        e.asyncify_stop_unwind();
        const pending = ctx.pending;
        if (!pending) throw new Error(`${name} unwound without a pending import`);
        try {
          pending.value = await pending.promise;
        } catch (reason) {
          pending.error = { reason };
        }
        e.asyncify_start_rewind(this.pointer(region.address));
        const again = this.garbageRewindArgs ? args.map(garbage) : args;
        result = this.#enter(ctx, () => e[name](...again));
      }
      if (e.asyncify_get_state() !== 0) throw new Error(`${name} returned in state ${e.asyncify_get_state()}`);
      if (ctx.pending) throw new Error(`${name} returned while ${ctx.pending.key} is still pending`);
      return result;
    } finally {
      this.#free.push(region);
    }
  }
}

function garbage(value) {
  if (typeof value === 'bigint') return -0x5a5a5a5a5a5a5a5an;
  return typeof value === 'number' && Number.isInteger(value) ? 0x7eadbeef : NaN;
}

function sameValues(a, b) {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
