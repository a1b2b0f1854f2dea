// Loaded with `node --import` ahead of a real-world package's own JavaScript. It swaps the
// package's WebAssembly binary for a transformed one (chosen by the sha256 of the original) and
// then makes every import call that can pause actually pause: the import runs, the whole wasm
// stack unwinds to the export that JavaScript called, and is rewound at once to the same point,
// where the import returns its result. The package's glue never knows: a module whose transform
// is wrong shows it as a wrong result, a trap or a crash.
//
//   REALWORLD_SWAP=SHA256=PATH   replace the binary whose sha256 is SHA256 by PATH's
//   REALWORLD_STATS=FILE         write what happened there at exit (see `stats`)
//   REALWORLD_MALLOC=NAME        the export that allocates (minified builds rename `malloc`)
//   REALWORLD_PAUSING=M.N,...    pause only in these imports (the transform's import list)
//   REALWORLD_BUFFER=START:BYTES the buffer is this fixed region, for a module that exports no
//                                allocator (Go: its runtime leaves the first 4 KiB of memory
//                                unused and takes every page of memory as its heap); the
//                                region must be zero when the module starts
//   REALWORLD_FRAMES=FILE        with a fixed region: wasm-asyncify's --report of the module; a
//                                call pauses only if its frames fit (their most bytes each)
//
// An import call pauses only when the innermost JavaScript frame under it is one of the driven
// exports (or a function JavaScript took from the module's exported table), the wasm frames
// between them are all of the driven module, and a buffer exists. The buffer comes from the
// module's own allocator, after the first top-level export call returns (never while the module
// runs: its allocator may be what called the import), or is the fixed region.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const BUFFER_BYTES = 1 << 20;
const MALLOC_EXPORTS = process.env.REALWORLD_MALLOC
  ? [process.env.REALWORLD_MALLOC]
  : ['malloc', '_malloc', '__wbindgen_malloc', 'dlmalloc'];

const original = {
  Module: WebAssembly.Module,
  Instance: WebAssembly.Instance,
  compile: WebAssembly.compile,
  instantiate: WebAssembly.instantiate,
};
const [wantedSha, replacement] = (process.env.REALWORLD_SWAP ?? '').split('=');
const pausing = process.env.REALWORLD_PAUSING ? new Set(process.env.REALWORLD_PAUSING.split(',')) : null;
const fixedBuffer = process.env.REALWORLD_BUFFER ? process.env.REALWORLD_BUFFER.split(':').map(Number) : null;
// Function index -> the most bytes its frame takes in the buffer.
const frameBytes = new Map();
if (process.env.REALWORLD_FRAMES) {
  for (const f of JSON.parse(readFileSync(process.env.REALWORLD_FRAMES, 'utf8')).functions) {
    if (f.role === 'instrumented') frameBytes.set(f.index, f.maxFrameBytes);
  }
}
// Read now: some packages' glue empties process.env before it loads its module (esbuild).
const statsFile = process.env.REALWORLD_STATS;
// pauses (in all, and per import); the most wasm frames unwound by one; how many functions were
// ever on a paused stack; import calls not paused because another module's frames were below,
// or because their frames would not fit in a fixed buffer
const stats = {
  swapped: 0, driven: 0, pauses: 0, byImport: {}, deepest: 0, functions: 0, foreignFrames: 0, tooBig: 0,
};
const pausedFunctions = new Set();

// The wasm function indices on the stack between here and the nearest JavaScript frame below
// them (the driven export's), or null when they are not all of one module: a pause must not
// unwind another module's frames (tree-sitter's grammars are side modules that call back in).
function wasmFramesBelow() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const lines = new Error().stack.split('\n');
  Error.stackTraceLimit = limit;
  let owner = null;
  const frames = [];
  for (const line of lines.slice(1)) {
    const wasm = line.match(/wasm:\/\/wasm\/([^:]+):wasm-function\[(\d+)\]/);
    if (wasm) {
      owner ??= wasm[1];
      if (wasm[1] !== owner) return null;
      frames.push(wasm[2]);
    } else if (owner !== null) {
      break;
    }
  }
  return frames;
}

function countPause(importName, frames) {
  stats.byImport[importName] = (stats.byImport[importName] ?? 0) + 1;
  for (const f of frames) pausedFunctions.add(f);
  stats.pauses++;
  stats.deepest = Math.max(stats.deepest, frames.length);
}
const drivenModules = new WeakSet();
// Wrapped exports and their own functions: glue that links modules dynamically puts exports
// into tables, which take only wasm functions (calls through a table stay inside wasm anyway).
const unwrapped = new WeakMap();
// A driven instance's exported tables, and how to wrap what JavaScript takes out of them:
// Emscripten's glue calls most C++ code that way (embind's invokers, invoke_* trampolines).
const drivenTables = new WeakMap();

if (statsFile) {
  process.on('exit', () => {
    stats.functions = pausedFunctions.size;
    writeFileSync(statsFile, JSON.stringify(stats));
  });
}

function bytesOf(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

function swapped(source) {
  const bytes = bytesOf(source);
  if (!wantedSha || !bytes) return source;
  if (createHash('sha256').update(bytes).digest('hex') !== wantedSha) return source;
  stats.swapped++;
  return readFileSync(replacement);
}

function noted(module) {
  if (original.Module.exports(module).some((e) => e.name === 'asyncify_get_state')) drivenModules.add(module);
  return module;
}

// Wraps the imports and exports of one instance of a transformed module.
function drive(module, imports, instantiate) {
  stats.driven++;
  const jsStack = []; // 'E' for a driven export's frame, 'I' for an import's
  let raw = null; // the instance's own exports
  let buffer = 0;
  let bufferBytes = BUFFER_BYTES;
  let saved;
  let pending = false; // an import has paused and the rewind has not reached it yet

  // The memory the ABI uses: the module's first, exported or imported.
  let memory = null;
  const allocate = () => {
    const malloc = MALLOC_EXPORTS.map((n) => raw[n]).find((f) => typeof f === 'function');
    if (!malloc) throw new Error('pause-driver: the module exports no allocator to take a buffer from');
    const at = malloc(BUFFER_BYTES, 16);
    if (!at) throw new Error('pause-driver: the module could not allocate the unwind buffer');
    buffer = at;
  };

  // Whether the frames would fit between the buffer's header and its end (frames of functions
  // the report does not list, such as the import's own, save nothing).
  const fits = (frames) => {
    const needed = frames.reduce((sum, f) => sum + (frameBytes.get(Number(f)) ?? 0), 0);
    return needed <= bufferBytes - 8;
  };

  const wrapImport = (f, importName) =>
    function (...args) {
      if (raw && raw.asyncify_get_state() === 2) {
        // The rewind has reached the paused call: it completes with the result kept aside.
        raw.asyncify_stop_rewind();
        if (!pending) throw new Error('pause-driver: an import was called while rewinding, but none had paused');
        const current = new DataView(memory.buffer).getUint32(buffer, true);
        if (current !== buffer + 8) {
          throw new Error(`pause-driver: after the rewind the buffer's position is ${current - buffer - 8} bytes past its start`);
        }
        const result = saved;
        pending = false;
        saved = undefined;
        return result;
      }
      jsStack.push('I');
      let result;
      try {
        result = f.apply(this, args);
      } finally {
        jsStack.pop();
      }
      const mayPause = !pausing || pausing.has(importName);
      const eligible = mayPause && buffer && jsStack.at(-1) === 'E' && raw.asyncify_get_state() === 0;
      let frames = eligible ? wasmFramesBelow() : null;
      if (eligible && !frames) stats.foreignFrames++;
      if (frames && fixedBuffer && !fits(frames)) {
        stats.tooBig++;
        frames = null;
      }
      if (frames) {
        const view = new DataView(memory.buffer);
        view.setUint32(buffer, buffer + 8, true);
        view.setUint32(buffer + 4, buffer + bufferBytes, true);
        saved = result;
        pending = true;
        raw.asyncify_start_unwind(buffer);
        countPause(importName, frames);
      }
      return result;
    };

  const wrapExport = (f) =>
    function (...args) {
      jsStack.push('E');
      try {
        let result = f.apply(this, args);
        while (raw.asyncify_get_state() === 1) {
          raw.asyncify_stop_unwind();
          raw.asyncify_start_rewind(buffer);
          result = f.apply(this, args);
        }
        if (pending) throw new Error('pause-driver: the export returned before its rewind reached the paused import');
        return result;
      } finally {
        jsStack.pop();
        if (!buffer && jsStack.length === 0) allocate();
      }
    };

  const wrappedImports = {};
  for (const { module: space, name, kind } of original.Module.imports(module)) {
    wrappedImports[space] ??= {};
    const value = imports[space][name];
    wrappedImports[space][name] = kind === 'function' ? wrapImport(value, `${space}.${name}`) : value;
    if (kind === 'memory') memory ??= value;
  }
  const finish = (instance) => {
    raw = instance.exports;
    memory ??= Object.values(raw).find((v) => v instanceof WebAssembly.Memory);
    if (fixedBuffer) {
      [buffer, bufferBytes] = fixedBuffer;
      if (new Uint8Array(memory.buffer, buffer, bufferBytes).some((byte) => byte !== 0)) {
        throw new Error(`pause-driver: the region REALWORLD_BUFFER names is in use (${fixedBuffer.join(':')})`);
      }
    }
    const wrappers = new WeakMap();
    const wrapEntry = (f) => {
      if (typeof f !== 'function' || unwrapped.has(f)) return f;
      if (!wrappers.has(f)) {
        const wrapper = wrapExport(f);
        wrappers.set(f, wrapper);
        unwrapped.set(wrapper, f);
      }
      return wrappers.get(f);
    };
    for (const value of Object.values(raw)) {
      if (value instanceof WebAssembly.Table) drivenTables.set(value, wrapEntry);
    }
    const exports = {};
    for (const [name, value] of Object.entries(raw)) {
      exports[name] = value;
      if (typeof value === 'function' && !name.startsWith('asyncify_')) {
        exports[name] = wrapExport(value);
        unwrapped.set(exports[name], value);
      }
    }
    const wrapped = Object.create(original.Instance.prototype);
    Object.defineProperty(wrapped, 'exports', { value: Object.freeze(exports), enumerable: true });
    return wrapped;
  };
  const instance = instantiate(wrappedImports);
  return instance instanceof Promise ? instance.then(finish) : finish(instance);
}

WebAssembly.Module = new Proxy(original.Module, {
  construct(target, [source, ...rest]) {
    return noted(new target(swapped(source), ...rest));
  },
});
WebAssembly.Instance = new Proxy(original.Instance, {
  construct(target, [module, imports = {}]) {
    if (!drivenModules.has(module)) return new target(module, imports);
    return drive(module, imports, (wrapped) => new target(module, wrapped));
  },
});
const tableGet = WebAssembly.Table.prototype.get;
WebAssembly.Table.prototype.get = function (index, ...rest) {
  const value = tableGet.call(this, index, ...rest);
  const wrap = drivenTables.get(this);
  return wrap ? wrap(value) : value;
};
const tableSet = WebAssembly.Table.prototype.set;
const tableGrow = WebAssembly.Table.prototype.grow;
WebAssembly.Table.prototype.set = function (index, value, ...rest) {
  return tableSet.call(this, index, unwrapped.get(value) ?? value, ...rest);
};
WebAssembly.Table.prototype.grow = function (delta, value, ...rest) {
  return tableGrow.call(this, delta, unwrapped.get(value) ?? value, ...rest);
};
WebAssembly.compile = async (source) => noted(await original.compile(swapped(source)));
WebAssembly.instantiate = async (source, imports = {}) => {
  if (source instanceof original.Module) {
    if (!drivenModules.has(source)) return original.instantiate(source, imports);
    return drive(source, imports, (wrapped) => original.instantiate(source, wrapped));
  }
  const module = await WebAssembly.compile(source);
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};
WebAssembly.compileStreaming = async (response) => WebAssembly.compile(await (await response).arrayBuffer());
WebAssembly.instantiateStreaming = async (response, imports) =>
  WebAssembly.instantiate(await (await response).arrayBuffer(), imports);
