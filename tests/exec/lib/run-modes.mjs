// The two ways a module runs: synchronously (the original) and through the Asyncify ABI host
// (a transformed module, its imports returning Promises). Browser-safe, like imports.mjs.
import { AbiHost } from '../abi-host.mjs';
import { Io, standardImports } from './imports.mjs';

// `drive(call, io, context)` calls exports through `call(name, ...args)` (always awaited) and
// pushes anything worth comparing into io.out.
export async function runSync(bytes, { makeImports = standardImports, drive, baseDir, files }) {
  const io = new Io({ baseDir, files });
  const { instance } = await WebAssembly.instantiate(bytes, makeImports(io, false));
  io.memory = instance.exports.memory;
  io.exports = instance.exports;
  io.call = async (name, ...args) => instance.exports[name](...args);
  await drive(io.call, io, { instance });
  return { out: io.out, memory: new Uint8Array(io.memory.buffer).slice() };
}

export async function runAsync(bytes, { makeImports = standardImports, drive, baseDir, files, host: hostOptions }) {
  const io = new Io({ baseDir, files });
  const host = new AbiHost(hostOptions);
  await host.instantiate(bytes, makeImports(io, true));
  io.memory = host.exports.memory ?? host.memory; // the program's memory, not a private one
  io.exports = host.exports;
  io.call = (name, ...args) => host.call(name, ...args);
  await drive(io.call, io, { instance: host.instance, host });
  return { out: io.out, unwinds: host.unwinds, host, memory: new Uint8Array(io.memory.buffer).slice() };
}

