// A minimal driver of Binaryen's Asyncify protocol, used by the WASI tests so that they do not
// depend on the package's main runtime. Imports may return Promises; exports then return Promises.
//
// The unwind data has to live in linear memory, but a WASI command module offers no allocator
// to the host. While the guest is unwinding or rewinding it touches no memory other than the
// Asyncify buffer, so the driver borrows the top of memory only for those moments: it saves the
// bytes there, lets the guest write its frames, copies the frames out and puts the bytes back.

const HEADER = 8; // [current, end]
const MAX_BUFFER = 64 * 1024;

export async function instantiate(bytes, imports) {
  let exports;
  let pending = null; // {promise} while unwinding
  let resumed = null; // {value} or {error} while rewinding
  let region = null;  // {at, size, saved}

  const regionFor = () => {
    const size = Math.min(MAX_BUFFER, exports.memory.buffer.byteLength / 4) & ~7;
    return { at: exports.memory.buffer.byteLength - size, size };
  };
  const mem = () => new Uint8Array(exports.memory.buffer);

  const wrapped = {};
  for (const [module, fields] of Object.entries(imports)) {
    wrapped[module] = {};
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value !== 'function') { wrapped[module][name] = value; continue; }
      wrapped[module][name] = (...args) => {
        if (exports.asyncify_get_state() === 2) {
          exports.asyncify_stop_rewind();
          mem().set(region.saved, region.at); // the guest's own bytes come back
          const r = resumed;
          resumed = null;
          if ('error' in r) throw r.error;
          return r.value;
        }
        const result = value(...args);
        if (!result || typeof result.then !== 'function') return result;
        region = regionFor();
        region.saved = mem().slice(region.at, region.at + region.size);
        const view = new DataView(exports.memory.buffer);
        view.setUint32(region.at, region.at + HEADER, true);
        view.setUint32(region.at + 4, region.at + region.size, true);
        exports.asyncify_start_unwind(region.at);
        pending = result;
        return 0;
      };
    }
  }

  const { module, instance } = await WebAssembly.instantiate(bytes, wrapped);
  exports = instance.exports;
  for (const name of ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind', 'asyncify_get_state']) {
    if (typeof exports[name] !== 'function') throw new Error(`module is not asyncified: no ${name}`);
  }

  const wrappedExports = {};
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== 'function' || name.startsWith('asyncify_')) { wrappedExports[name] = value; continue; }
    wrappedExports[name] = async (...args) => {
      let result = value(...args);
      while (exports.asyncify_get_state() === 1) {
        exports.asyncify_stop_unwind();
        const used = new DataView(exports.memory.buffer).getUint32(region.at, true) - region.at;
        const frames = mem().slice(region.at, region.at + used);
        mem().set(region.saved, region.at);
        const promise = pending;
        pending = null;
        try {
          resumed = { value: await promise };
        } catch (error) {
          resumed = { error };
        }
        region.saved = mem().slice(region.at, region.at + region.size);
        mem().set(frames, region.at); // header included: rewinding pops from `current` down
        exports.asyncify_start_rewind(region.at);
        result = value(...args);
      }
      return result;
    };
  }
  return { module, instance: { exports: wrappedExports } };
}
