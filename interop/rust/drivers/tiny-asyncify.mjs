// A minimal Asyncify driver: any import that returns a promise pauses the wasm call stack until
// the promise settles. Exports become async functions. Used to check transformed modules with
// a runtime independent of Emscripten, asyncify-wasm and our own runtime.
//
// Differences from asyncify-wasm that matter for correctness: the unwind buffer is a page of its
// own (grown at instantiation, so it cannot overlap the module's stack or heap), rewinds re-pass
// the original arguments, a rejected promise is thrown to the caller, and calls are serialized
// (one paused stack at a time, which is what the Asyncify ABI supports).
const STATE_NORMAL = 0;
const STATE_UNWINDING = 1;
const STATE_REWINDING = 2;
const PAGE = 65536;

export async function instantiate(bytes, importObject) {
  let exports;
  let dataAddr = 0;
  let pending = null;   // the promise of the paused import
  let settled = null;   // {value} or {error} once it settled, handed back on rewind

  const wrapImport = (fn) => (...args) => {
    if (exports.asyncify_get_state() === STATE_REWINDING) {
      exports.asyncify_stop_rewind();
      const result = settled;
      settled = null;
      if ('error' in result) throw result.error;
      return result.value;
    }
    const value = fn(...args);
    if (!value || typeof value.then !== 'function') return value;
    // Header: current (start of frames) and end of the buffer.
    new Uint32Array(exports.memory.buffer, dataAddr, 2).set([dataAddr + 8, dataAddr + PAGE]);
    exports.asyncify_start_unwind(dataAddr);
    pending = value;
    return 0;  // ignored: the caller is unwinding
  };

  const wrapped = {};
  for (const [module, fields] of Object.entries(importObject)) {
    wrapped[module] = {};
    for (const [name, value] of Object.entries(fields)) {
      wrapped[module][name] = typeof value === 'function' ? wrapImport(value) : value;
    }
  }

  const { instance } = await WebAssembly.instantiate(bytes, wrapped);
  exports = instance.exports;
  dataAddr = exports.memory.grow(1) * PAGE;

  let queue = Promise.resolve();
  const wrapExport = (fn) => (...args) => {
    const call = queue.then(async () => {
      let result = fn(...args);
      while (exports.asyncify_get_state() === STATE_UNWINDING) {
        exports.asyncify_stop_unwind();
        try {
          settled = { value: await pending };
        } catch (error) {
          settled = { error };
        }
        pending = null;
        exports.asyncify_start_rewind(dataAddr);
        result = fn(...args);
      }
      if (exports.asyncify_get_state() !== STATE_NORMAL) throw new Error('asyncify state left unbalanced');
      return result;
    });
    queue = call.catch(() => {});
    return call;
  };

  const api = {};
  for (const [name, value] of Object.entries(exports)) {
    api[name] = typeof value === 'function' && !name.startsWith('asyncify_') ? wrapExport(value) : value;
  }
  return { instance, exports: api };
}
