// The imports every program may use, and what they record. Browser-safe (no Node modules), so
// that the same imports serve runs in Node and in Chromium (page-runs.mjs).

// Imports that may pause; everything else in `env` answers synchronously in every mode.
export const PAUSING = ['env.sleep', 'env.get_answer', 'env.pause', 'env.next', 'env.next64', 'env.read_file'];

// Collects what a program prints and gives imports access to the instance's memory.
export class Io {
  // `files` reads the host's files for read_file: { read(path) -> Promise<bytes>, readSync(path) }.
  constructor({ baseDir = '.', files = null } = {}) {
    this.out = [];
    this.baseDir = baseDir;
    this.files = files;
    this.memory = null;
    this.exports = null; // for imports that call back into the instance
    this.call = null; // the same, through the host (may pause)
  }

  bytes() {
    return new Uint8Array(this.memory.buffer);
  }

  string(ptr, len) {
    return new TextDecoder().decode(this.bytes().subarray(ptr, ptr + len));
  }
}

// Settles after a macrotask or a microtask, so that a pause really yields to the event loop.
const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const soon = (value) => new Promise((resolve) => queueMicrotask(() => resolve(value)));

// next(x) and next64(x) are pure functions of their argument so a test can predict them.
export const nextValue = (x) => (Math.imul(x, 3) + 1) | 0;
export const nextValue64 = (x) => BigInt.asIntN(64, x * 3n + 1n);

export function standardImports(io, async) {
  const pausing = async ? { later, soon } : { later: (v) => v, soon: (v) => v };
  return {
    env: {
      print_i32: (x) => void io.out.push(x),
      print_i64: (x) => void io.out.push(`${x}n`),
      print_f32: (x) => void io.out.push(x),
      print_f64: (x) => void io.out.push(x),
      print_str: (ptr, len) => void io.out.push(io.string(ptr, len)),
      sleep: (ms) => pausing.later(undefined, ms),
      get_answer: () => pausing.soon(42),
      pause: () => pausing.soon(undefined),
      next: (x) => pausing.soon(nextValue(x)),
      next64: (x) => pausing.soon(nextValue64(x)),
      read_file: (pathPtr, pathLen, buf, cap) => {
        const path = `${io.baseDir}/${io.string(pathPtr, pathLen)}`;
        const store = (data) => {
          const n = Math.min(data.length, cap);
          io.bytes().set(data.subarray(0, n), buf);
          return n;
        };
        return async ? io.files.read(path).then(store) : store(io.files.readSync(path));
      },
    },
  };
}

// Import sets: the standard imports, except that next(value) fails with makeError(): it throws
// when synchronous, its Promise rejects when asynchronous.
export function rejectingAt(value, makeError) {
  return (io, async) => {
    const imports = standardImports(io, async);
    const next = imports.env.next;
    imports.env.next = (x) => {
      if (x !== value) return next(x);
      const error = makeError();
      if (!async) throw error;
      return new Promise((resolve, reject) => setTimeout(() => reject(error), 0));
    };
    return imports;
  };
}

// next(13) fails with Error('unlucky').
export const rejectingThirteen = rejectingAt(13, () => new Error('unlucky'));

// Host objects for reference-typed values: make_obj(k) returns a fresh object registered under k
// and check_obj(o, k) answers 1 only if o is that very object, so a ref restored as anything else
// (null, another object) shows up. io.made counts make_obj calls: a rewind that re-ran the code
// before a pause would re-create objects and pass the identity check, but not the count.
export function objectImports(io) {
  const objects = new Map();
  io.made = 0;
  return {
    make_obj: (k) => {
      const o = { key: k };
      objects.set(k, o);
      io.made++;
      return o;
    },
    check_obj: (o, k) => (objects.has(k) && objects.get(k) === o ? 1 : 0),
  };
}

