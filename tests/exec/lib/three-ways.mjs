// Runs one program three ways and demands identical output:
//   original module, imports answer synchronously;
//   our transformed module, pausing imports return Promises settled by real awaits;
//   Binaryen's transformed module, same async imports (this checks the harness itself).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbiHost } from '../abi-host.mjs';
import { load } from './toolchain.mjs';

// Imports that may pause; everything else in `env` answers synchronously in every mode.
export const PAUSING = ['env.sleep', 'env.get_answer', 'env.pause', 'env.next', 'env.next64', 'env.read_file'];

// Collects what a program prints and gives imports access to the instance's memory.
export class Io {
  constructor({ baseDir = '.' } = {}) {
    this.out = [];
    this.baseDir = baseDir;
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
        const path = join(io.baseDir, io.string(pathPtr, pathLen));
        const store = (data) => {
          const n = Math.min(data.length, cap);
          io.bytes().set(data.subarray(0, n), buf);
          return n;
        };
        return async ? readFile(path).then(store) : store(readFileSync(path));
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

// `drive(call, io, context)` calls exports through `call(name, ...args)` (always awaited) and
// pushes anything worth comparing into io.out.
export async function runSync(wasm, { makeImports = standardImports, drive, baseDir }) {
  const io = new Io({ baseDir });
  const { instance } = await WebAssembly.instantiate(load(wasm), makeImports(io, false));
  io.memory = instance.exports.memory;
  io.exports = instance.exports;
  io.call = async (name, ...args) => instance.exports[name](...args);
  await drive(io.call, io, { instance });
  return { out: io.out, memory: new Uint8Array(io.memory.buffer).slice() };
}

export async function runAsync(wasm, { makeImports = standardImports, drive, baseDir, host: hostOptions }) {
  const io = new Io({ baseDir });
  const host = new AbiHost(hostOptions);
  await host.instantiate(load(wasm), makeImports(io, true));
  io.memory = host.exports.memory ?? host.memory; // the program's memory, not a private one
  io.exports = host.exports;
  io.call = (name, ...args) => host.call(name, ...args);
  await drive(io.call, io, { instance: host.instance, host });
  return { out: io.out, unwinds: host.unwinds, host, memory: new Uint8Array(io.memory.buffer).slice() };
}

// The whole comparison: same output and, at the end, the same memory (a stray write by the
// transform shows up there). Binaryen runs first: if it disagrees with the original, the harness
// (or the program) is at fault, whatever ours does. Options:
//   drive, makeImports, baseDir, host (AbiHost options)   how to run, see runSync/runAsync
//   pausing        imports that may pause (both transformers)
//   oursArgs       extra arguments for wasm-asyncify; report: true to get its --report
//   binaryen       false where Binaryen cannot handle the program; binaryenArgs: asyncify-* pass args;
//                  binaryenOptimizeFirst: false to run -O2 after --asyncify
//   features       wabt feature flags for validation
//   minUnwinds     the async runs must have paused at least this often (default 1)
//   compareMemory  false where the program's memory may legitimately differ at the end
// Returns every run so tests can assert more (expected values, counts).
export async function threeWays(ws, wasm, options) {
  const {
    pausing = PAUSING, oursArgs = [], binaryenArgs = [], binaryen = true, minUnwinds = 1,
    features = [], report = false, binaryenOptimizeFirst = true, compareMemory = true,
  } = options;
  const original = await runSync(wasm, options);
  let reference = null;
  if (binaryen) {
    const binaryenWasm = ws.binaryen(wasm, {
      imports: pausing, passArgs: binaryenArgs, validateFeatures: features, optimizeFirst: binaryenOptimizeFirst,
    });
    reference = await runAsync(binaryenWasm, options);
    assert.deepEqual(reference.out, original.out, "Binaryen's transformed module prints what the original prints");
  }
  const oursBuild = ws.ours(wasm, { imports: pausing, args: oursArgs, validateFeatures: features, report });
  const ours = await runAsync(oursBuild.wasm, options);
  assert.deepEqual(ours.out, original.out, 'our transformed module prints what the original prints');
  if (compareMemory) {
    sameMemory(ours, original, 'ours');
    if (reference) sameMemory(reference, original, 'Binaryen');
  }
  assert.ok(ours.unwinds >= minUnwinds, `ours paused ${ours.unwinds} times, expected at least ${minUnwinds}`);
  if (reference) assert.equal(reference.unwinds, ours.unwinds, 'both transforms pause equally often');
  return { original, ours, binaryen: reference, report: oursBuild.report };
}

// The program's memory ends up as the original's, apart from the pages the host added.
function sameMemory(run, original, label) {
  const a = run.memory.subarray(0, original.memory.length);
  if (Buffer.compare(a, original.memory) === 0) return;
  const first = a.findIndex((byte, k) => byte !== original.memory[k]);
  assert.fail(`${label}: memory differs from the original's at byte ${first}`);
}
