// Access to the guest's linear memory. Memory can grow (and its buffer be replaced) whenever the
// guest runs, so views are re-derived from memory.buffer on every access instead of being kept.
import { FsError } from './errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export class GuestMemory {
  #memory = null;
  #buffer = null;
  #view = null;
  #bytes = null;
  #check;

  /** @param {() => void} check runs before every access (throws once the program was stopped) */
  constructor(check) { this.#check = check; }

  bind(memory) {
    if (!(memory instanceof WebAssembly.Memory)) throw new TypeError('the instance must export its memory as "memory"');
    this.#memory = memory;
  }

  #refresh() {
    this.#check();
    if (!this.#memory) throw new Error('WASI call before start() or initialize()');
    if (this.#memory.buffer !== this.#buffer) {
      this.#buffer = this.#memory.buffer;
      this.#view = new DataView(this.#buffer);
      this.#bytes = new Uint8Array(this.#buffer);
    }
  }

  get view() { this.#refresh(); return this.#view; }
  get bytes() { this.#refresh(); return this.#bytes; }

  /** Copies `len` bytes at `ptr` out of the guest (bounds-checked). */
  copyOut(ptr, len) {
    const bytes = this.bytes;
    if (ptr + len > bytes.length) throw new RangeError('out of bounds');
    return bytes.slice(ptr, ptr + len);
  }

  /** Copies bytes into the guest at `ptr` (bounds-checked). */
  copyIn(ptr, data) {
    const bytes = this.bytes;
    if (ptr + data.length > bytes.length) throw new RangeError('out of bounds');
    bytes.set(data, ptr);
  }

  string(ptr, len) {
    try {
      return decoder.decode(this.copyOut(ptr, len));
    } catch (error) {
      if (error instanceof TypeError) throw new FsError('EILSEQ', 'path is not UTF-8');
      throw error;
    }
  }

  /** Reads an iovec/ciovec array: [{ptr, len}]. */
  iovecs(ptr, count) {
    const view = this.view;
    const list = [];
    for (let i = 0; i < count; i++) list.push({ ptr: view.getUint32(ptr + i * 8, true), len: view.getUint32(ptr + i * 8 + 4, true) });
    return list;
  }

  gather(iovs) {
    const total = iovs.reduce((n, v) => n + v.len, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const v of iovs) { out.set(this.copyOut(v.ptr, v.len), at); at += v.len; }
    return out;
  }

  /** Spreads `data` over the iovecs in order; returns the count written. */
  scatter(iovs, data) {
    let at = 0;
    for (const v of iovs) {
      if (at >= data.length) break;
      const part = data.subarray(at, at + v.len);
      this.copyIn(v.ptr, part);
      at += part.length;
    }
    return at;
  }

  u8(ptr, value) { this.view.setUint8(ptr, value); }
  u16(ptr, value) { this.view.setUint16(ptr, value, true); }
  u32(ptr, value) { this.view.setUint32(ptr, value, true); }
  u64(ptr, value) { this.view.setBigUint64(ptr, BigInt.asUintN(64, BigInt(value)), true); }
}

export const utf8 = (text) => encoder.encode(text);
