// Where the Asyncify data structure and the saved frames live, and how that space is shared
// between paused calls. Never guessed: the location must come from the options, from exports
// that name it, or from an exported allocator; otherwise configuration fails loudly.

import { AsyncifyConfigError } from './errors.js';

export const DEFAULT_BUFFER_EXPORTS = ['asyncify_buffer', 'asyncify_buffer_size'];
/** The memory wasm-asyncify adds and exports for --secondary-memory (asyncify-in-secondary-memory). */
export const SECONDARY_MEMORY_EXPORT = 'asyncify_memory';

/** The secondary memory's export name: named by the option, or the transform's own export. */
function dataMemoryName(options, raw) {
  if (options.dataMemory !== undefined) return options.dataMemory;
  return raw[SECONDARY_MEMORY_EXPORT] instanceof WebAssembly.Memory ? SECONDARY_MEMORY_EXPORT : undefined;
}
export const DEFAULT_ALLOCATED_SIZE = 16384;

function exportedNumber(value, what) {
  if (value instanceof WebAssembly.Global) value = value.value;
  else if (typeof value === 'function') value = value();
  if (typeof value === 'bigint') value = Number(value);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AsyncifyConfigError(`${what} is not a valid address or size: ${value}`);
  }
  return value;
}

function findMemory(options, raw, info, imports) {
  const dataMemory = dataMemoryName(options, raw);
  if (dataMemory !== undefined) {
    const memory = raw[dataMemory];
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new AsyncifyConfigError(`option dataMemory: export "${dataMemory}" is not a memory`);
    }
    return memory;
  }
  const name = options.memory ?? 'memory';
  if (raw[name] instanceof WebAssembly.Memory) return raw[name];
  const imported = info.imports.find((i) => i.kind === 'memory');
  const memory = imported && imports?.[imported.module]?.[imported.name];
  if (memory instanceof WebAssembly.Memory) return memory;
  throw new AsyncifyConfigError(
    `no memory for the unwind buffer: the module exports no memory named "${name}" and imports none (option memory names it)`);
}

/**
 * The region [start, start + size) of one memory. Each pausing call takes space above the data
 * of the calls still paused beneath it, so nested pauses never overwrite each other.
 */
export class UnwindBuffer {
  #paused = new Set();

  constructor(memory, start, size, is64) {
    const aligned = Math.ceil(start / 8) * 8; // frames stay 4-aligned for conservative GC scanners
    this.memory = memory;
    this.start = aligned;
    this.size = Math.max(0, size - (aligned - start));
    this.is64 = is64;
    this.header = is64 ? 16 : 8;
  }

  get end() {
    return this.start + this.size;
  }

  /** Start of the free space above every paused call's data. */
  freeAddress() {
    let top = this.start;
    for (const region of this.#paused) top = Math.max(top, Math.ceil(region.current / 8) * 8);
    return top;
  }

  view() {
    return new DataView(this.memory.buffer);
  }

  /** Writes [current, end] at `address` for a new unwind. */
  writeHeader(address, current = address + this.header) {
    const view = this.view();
    if (this.is64) {
      view.setBigUint64(address, BigInt(current), true);
      view.setBigUint64(address + 8, BigInt(this.end), true);
    } else {
      view.setUint32(address, current, true);
      view.setUint32(address + 4, this.end, true);
    }
  }

  readHeader(address) {
    const view = this.view();
    if (this.is64) {
      return [Number(view.getBigUint64(address, true)), Number(view.getBigUint64(address + 8, true))];
    }
    return [view.getUint32(address, true), view.getUint32(address + 4, true)];
  }

  pointer(address) {
    return this.is64 ? BigInt(address) : address;
  }

  hold(region) {
    this.#paused.add(region);
  }

  release(region) {
    this.#paused.delete(region);
  }
}

/**
 * Resolves the buffer configuration into {lazy, make()}: immediate
 * sources are checked at once; an allocator is called lazily, at the first top-level call,
 * because reactors must run `_initialize` before their allocator is usable.
 */
export function planUnwindBuffer(options, raw, info, imports, is64, log) {
  const memory = findMemory(options, raw, info, imports);
  const locate = (start, size, source) => {
    if (start + size > memory.buffer.byteLength) {
      throw new AsyncifyConfigError(`unwind buffer [${start}, ${start + size}) lies outside the memory`);
    }
    log(`unwind buffer at ${start}, ${size} bytes (${source})`);
    const buffer = new UnwindBuffer(memory, start, size, is64);
    if (buffer.size < buffer.header + 8) {
      throw new AsyncifyConfigError(`unwind buffer of ${size} bytes is too small`);
    }
    return buffer;
  };

  if (options.buffer !== undefined) {
    const { address, size } = options.buffer;
    const buffer = locate(exportedNumber(address, 'buffer.address'), exportedNumber(size, 'buffer.size'), 'options.buffer');
    return { lazy: false, make: () => buffer };
  }
  const dataMemory = dataMemoryName(options, raw);
  if (dataMemory !== undefined) {
    // The whole memory belongs to Asyncify: the module keeps nothing else there.
    const size = options.bufferSize ?? memory.buffer.byteLength;
    const buffer = locate(0, size, `memory "${dataMemory}"`);
    return { lazy: false, make: () => buffer };
  }
  const [addressName, sizeName] = options.bufferExports ?? DEFAULT_BUFFER_EXPORTS;
  if (raw[addressName] !== undefined) {
    const address = exportedNumber(raw[addressName], `export "${addressName}"`);
    let size = options.bufferSize;
    if (raw[sizeName] !== undefined) size = exportedNumber(raw[sizeName], `export "${sizeName}"`);
    if (size === undefined) {
      throw new AsyncifyConfigError(
        `export "${addressName}" gives the unwind buffer address but its size is unknown: export "${sizeName}" or pass options.bufferSize`);
    }
    const buffer = locate(address, size, `exports "${addressName}"/"${sizeName}"`);
    return { lazy: false, make: () => buffer };
  }
  const allocatorName = options.allocator ?? (raw.malloc !== undefined && raw._start === undefined ? 'malloc' : undefined);
  if (allocatorName) {
    const allocator = raw[allocatorName];
    if (typeof allocator !== 'function') {
      throw new AsyncifyConfigError(`option allocator: export "${allocatorName}" is not a function`);
    }
    if (raw._start !== undefined) {
      log(`warning: "${allocatorName}" is called on a command module; its exports run destructors after each call`);
    }
    const size = options.bufferSize ?? DEFAULT_ALLOCATED_SIZE;
    const make = () => {
      const address = exportedNumber(allocator(is64 ? BigInt(size) : size), `${allocatorName}(${size})`);
      if (address === 0) throw new AsyncifyConfigError(`${allocatorName}(${size}) returned NULL`);
      return locate(address, size, `${allocatorName}(${size})`);
    };
    return { lazy: true, make };
  }
  throw new AsyncifyConfigError(
    'no unwind buffer: pass options.buffer {address, size}, export "asyncify_buffer" and ' +
    '"asyncify_buffer_size" (or name exports with options.bufferExports), export an allocator ' +
    '(options.allocator; "malloc" is used automatically in modules without "_start"), or name a ' +
    `secondary memory with options.dataMemory (an exported "${SECONDARY_MEMORY_EXPORT}" is used automatically)`);
}
