// The runtime's behaviour, written once and run in Node (node:test) and in Chromium.
// Each scenario names its fixture and the backends it applies to; the runners supply `ctx`:
//   ctx.runtime   the package's exports        ctx.backend  'asyncify' | 'jspi' | 'sync'
//   ctx.bytes     the fixture variant's bytes  ctx.load(imports, options) -> instance
//   ctx.check     assertions (check.mjs)
// `requires` lists engine features a scenario needs (see runs.mjs).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => sleep(0);

/** Imports of the `semantics` fixture; each test overrides what it exercises. */
function semanticsImports(overrides = {}) {
  return {
    env: {
      get_i32: async (x) => { await tick(); return x + 1; },
      get_i64: async (x) => { await tick(); return x * 3n; },
      get_f64: async () => { await tick(); return 2.5; },
      callback: async (x) => x,
      unlisted: async () => 7,
      pause: async () => { await tick(); },
      log: () => {},
      ...overrides,
    },
  };
}

/** Counts unwinds through the debug log (asyncify backend). */
function pauseCounter() {
  const counter = { pauses: 0, log: (line) => { if (/ paused /.test(line)) counter.pauses++; } };
  return counter;
}

const ALL = ['asyncify', 'jspi'];

export const scenarios = [
  {
    name: 'an async import resumes the export with its value; a plain value takes the sync path',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check, backend }) {
      const counter = pauseCounter();
      const async = await load(semanticsImports(), { debug: counter.log });
      check.equal(await async.exports.add_async(41), 83, 'async import');
      const sync = await load(semanticsImports({ get_i32: (x) => x + 1 }), { debug: counter.log });
      const pending = sync.exports.add_async(41);
      check.ok(pending instanceof Promise, 'exports return Promises');
      check.equal(await pending, 83, 'sync import');
      if (backend === 'asyncify') check.equal(counter.pauses, 1, 'unwinds (only the async import pauses)');
    },
  },
  {
    name: 'i64 parameters and results are BigInts in both directions, across the rewind',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      const seen = [];
      const instance = await load(semanticsImports({
        get_i64: async (x) => { seen.push(typeof x); await tick(); return x * 3n; },
      }));
      const big = 2n ** 40n + 5n;
      check.equal(await instance.exports.i64_roundtrip(big), big * 4n, 'i64 result');
      check.equal(await instance.exports.i64_roundtrip(-7n), -28n, 'negative i64');
      check.deepEqual(seen, ['bigint', 'bigint'], 'import argument types');
    },
  },
  {
    name: 'f64 results and several pauses in one call',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      const calls = [];
      const instance = await load(semanticsImports({
        get_i32: async (i) => { calls.push(i); await tick(); return i * i; },
      }));
      check.equal(await instance.exports.f64_async(4), 10, 'f64');
      check.equal(await instance.exports.after_pause(4), 5, 'import resolving to undefined');
      check.equal(await instance.exports.sum_n(6), 55, 'sum of squares');
      check.deepEqual(calls, [0, 1, 2, 3, 4, 5], 'each import runs once');
    },
  },
  {
    name: 'a compiled Module without bytes still gets correct placeholders (i64 too)',
    fixture: 'semantics',
    backends: ALL,
    async run({ runtime, bytes, backend, check }) {
      const module = await WebAssembly.compile(bytes);
      const instance = await runtime.instantiate(module, semanticsImports(), { backend });
      check.ok(instance instanceof WebAssembly.Instance, 'is a WebAssembly.Instance');
      check.equal(await instance.exports.i64_roundtrip(5n), 20n, 'i64 through an unknown type');
      check.equal(await instance.exports.add_async(1), 3, 'i32 through an unknown type');
    },
  },
  {
    name: 'nested re-entry from inside an import (LIFO), several levels deep',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      const order = [];
      let instance;
      const imports = semanticsImports({
        // Calls back synchronously (before its first await), then awaits the nested call.
        callback: async (x) => {
          order.push(`enter ${x}`);
          const nested = x > 0 ? instance.exports.nested(x - 1) : instance.exports.inner(7);
          const value = await nested;
          order.push(`leave ${x}`);
          return value;
        },
      });
      instance = await load(imports);
      const reference = (x) => x * 1000 + (x > 0 ? reference(x - 1) : 7 * 10 + 8);
      check.equal(await instance.exports.nested(3), reference(3), 'nested result');
      check.deepEqual(order, ['enter 3', 'enter 2', 'enter 1', 'enter 0', 'leave 0', 'leave 1', 'leave 2', 'leave 3'], 'LIFO order');
      check.equal(await instance.exports.add_async(1), 3, 'usable afterwards');
    },
  },
  {
    name: 'a nested call still paused when its caller finishes completes correctly later',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      let instance;
      let inner;
      instance = await load(semanticsImports({
        // Starts a nested call that pauses, and returns without waiting for it.
        callback: (x) => { inner = instance.exports.inner(x); return 5; },
        get_i32: async (x) => { await sleep(5); return x + 1; },
      }));
      const sp = await instance.exports.stack_pointer();
      check.equal(await instance.exports.nested(2), 2005, 'outer result');
      check.equal(await inner, 23, 'inner result');
      check.equal(await instance.exports.stack_pointer(), sp, '__stack_pointer once idle');
      check.equal(await instance.exports.add_async(1), 3, 'usable afterwards');
    },
  },
  {
    name: 'a paused call resumes only after the calls nested in it have finished (LIFO)',
    fixture: 'semantics',
    backends: ['asyncify'],
    async run({ load, check }) {
      const order = [];
      let instance;
      instance = await load(semanticsImports({
        // The nested call waits longer than the outer call's own import.
        callback: (x) => {
          instance.exports.with_stack(x).then((v) => order.push(`inner ${v}`));
          return sleep(1).then(() => 7);
        },
        get_i32: async (x) => { await sleep(15); return x + 1; },
      }));
      const sp = instance.exports.__stack_pointer.value;
      const outer = instance.exports.nested(4).then((v) => order.push(`outer ${v}`));
      await outer;
      check.deepEqual(order, ['inner 9', 'outer 4007'], 'completion order');
      check.equal(instance.exports.__stack_pointer.value, sp, '__stack_pointer');
    },
  },
  {
    name: 'nested re-entry after an await, with a reentrant() import',
    fixture: 'semantics',
    backends: ALL,
    async run({ runtime, load, check }) {
      let instance;
      const imports = semanticsImports({
        callback: runtime.reentrant(async (x) => {
          await sleep(1);
          return x > 0 ? instance.exports.nested(x - 1) : instance.exports.inner(7);
        }),
      });
      instance = await load(imports);
      const reference = (x) => x * 1000 + (x > 0 ? reference(x - 1) : 78);
      check.equal(await instance.exports.nested(2), reference(2), 'nested result');
    },
  },
  {
    name: 'concurrent calls of one instance are queued, not interleaved',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      const events = [];
      const instance = await load(semanticsImports({
        get_i32: async (x) => {
          events.push(`start ${x}`);
          await sleep(x === 1 ? 20 : 2);
          events.push(`end ${x}`);
          return x;
        },
      }));
      const results = await Promise.all([1, 2, 3].map((x) => instance.exports.counter_add(x)));
      check.deepEqual(results, [1, 3, 6], 'read-modify-write results');
      check.deepEqual(events, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'], 'one after another');
    },
  },
  {
    name: 'a random mix of queued, nested and failing calls matches a sequential model',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      let seed = 12345;
      const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 16) % n; };
      let instance;
      const failures = new Set();
      instance = await load(semanticsImports({
        get_i32: async (x) => {
          await sleep(random(3));
          if (failures.has(x)) throw new Error(`fail ${x}`);
          return x;
        },
        // Each nested call pauses itself before the outer call resumes.
        callback: async (x) => (await instance.exports.inner(x)) + 1,
      }));
      const calls = [];
      let model = 0;
      for (let i = 1; i <= 60; i++) {
        const kind = random(4);
        if (kind === 0) {
          calls.push(instance.exports.nested(i).then((v) => ['nested', i, v]));
        } else {
          const fails = kind === 1;
          if (fails) failures.add(i);
          calls.push(instance.exports.counter_add(i).then((v) => ['counter', i, v], (e) => ['rejected', i, e.message]));
        }
      }
      // Queued calls run in call order, so the model is sequential.
      const results = await Promise.all(calls);
      for (const [kind, i, value] of results) {
        if (kind === 'nested') {
          check.equal(value, i * 1000 + i * 10 + i + 1, `nested(${i})`);
        } else if (failures.has(i)) {
          check.deepEqual([kind, value], ['rejected', `fail ${i}`], `failing counter_add(${i})`);
        } else {
          model += i;
          check.deepEqual([kind, value], ['counter', model], `counter_add(${i})`);
        }
      }
      check.ok(failures.size > 0 && results.some(([kind]) => kind === 'nested'), 'the mix has failures and nesting');
    },
  },
  {
    name: 'a rejection rejects the export with the original error and restores the stack pointer',
    fixture: 'semantics',
    backends: ALL,
    async run({ load, check }) {
      const failure = new Error('disk on fire');
      let fail = true;
      const instance = await load(semanticsImports({
        get_i32: async (x) => { await tick(); if (fail) throw failure; return x + 1; },
      }));
      const before = await instance.exports.stack_pointer();
      let caught;
      try {
        await instance.exports.with_stack(5);
      } catch (error) {
        caught = error;
      }
      check.ok(caught === failure, 'same error object');
      check.equal(await instance.exports.stack_pointer(), before, '__stack_pointer');
      fail = false;
      check.equal(await instance.exports.with_stack(5), 11, 'usable afterwards');
      check.equal(await instance.exports.stack_pointer(), before, '__stack_pointer after success');
      const throwing = await load(semanticsImports({ get_i32: () => { throw failure; } }));
      let thrown;
      await throwing.exports.with_stack(1).catch((error) => { thrown = error; });
      check.ok(thrown === failure, 'a synchronous throw rejects with the same error');
      check.equal(await throwing.exports.stack_pointer(), before, '__stack_pointer after a throw');
    },
  },
  {
    name: 'rejectAs() returns a rejection into wasm as a value',
    fixture: 'semantics',
    backends: ALL,
    async run({ runtime, load, check }) {
      const failing = async () => { await tick(); throw Object.assign(new Error('nope'), { errno: 44 }); };
      const constant = await load(semanticsImports({ get_i32: runtime.rejectAs(failing, -1) }));
      check.equal(await constant.exports.add_async(10), 9, 'constant value');
      const mapped = await load(semanticsImports({ get_i32: runtime.rejectAs(failing, (e) => e.errno) }));
      check.equal(await mapped.exports.add_async(10), 54, 'mapped value');
    },
  },
  {
    name: 'a too small unwind buffer raises AsyncifyBufferOverflowError and resets the instance',
    fixture: 'semantics',
    backends: ['asyncify'],
    async run({ runtime, load, check }) {
      const instance = await load(semanticsImports(), { buffer: { address: 8192, size: 96 } });
      await check.rejects(instance.exports.deep(200), runtime.AsyncifyBufferOverflowError, /too small \(96 bytes\)/, 'deep pause');
      check.equal(instance.exports.asyncify_get_state(), 0, 'state after overflow');
      check.equal(await instance.exports.add_async(1), 3, 'usable afterwards');
      check.equal(await instance.exports.deep(2), 2 * 3 + 1 * 3 + 1, 'a shallow pause still fits');
    },
  },
  {
    name: 'calling an export while the instance is mid-unwind is a named error',
    fixture: 'semantics',
    backends: ['asyncify'],
    async run({ runtime, load, check }) {
      const instance = await load(semanticsImports());
      const { exports } = instance;
      const view = new DataView(exports.memory.buffer);
      view.setUint32(8192, 8200, true);
      view.setUint32(8196, 16384, true);
      exports.asyncify_start_unwind(8192);
      await check.rejects(exports.add_async(1), runtime.AsyncifyStateError, /while the instance is unwinding/, 'call mid-unwind');
      exports.asyncify_stop_unwind();
      check.equal(await exports.add_async(1), 3, 'usable afterwards');
    },
  },
  {
    name: 'an import that pauses without being instrumented is a named error',
    fixture: 'semantics',
    backends: ['asyncify'],
    async run({ runtime, load, check }) {
      const instance = await load(semanticsImports());
      await check.rejects(instance.exports.call_unlisted(), runtime.AsyncifyImportError, /env\.log.*env\.unlisted.*not instrumented/, 'unlisted import');
      check.equal(instance.exports.asyncify_get_state(), 0, 'state reset');
      check.equal(await instance.exports.add_async(1), 3, 'usable afterwards');
    },
  },
  {
    name: 'options.exports keeps the other exports synchronous; non-functions pass through',
    fixture: 'semantics',
    backends: ['asyncify'],
    async run({ runtime, load, check }) {
      const listed = await load(semanticsImports(), { exports: ['add_async'] });
      check.equal(listed.exports.sync_only(4), 8, 'unwrapped export is synchronous');
      check.equal(await listed.exports.add_async(1), 3, 'wrapped export');
      await check.rejects(() => listed.exports.sync_calls_async(1), runtime.AsyncifyImportError, /outside an asynchronous export call/, 'async import under a sync export');
      check.equal(await listed.exports.add_async(2), 5, 'usable afterwards');
      const filtered = await load(semanticsImports(), { exports: (name) => name !== 'sync_only' });
      check.equal(filtered.exports.sync_only(5), 10, 'predicate filter');
      check.ok(filtered.exports.memory instanceof WebAssembly.Memory, 'memory passes through');
      check.ok(filtered.exports.asyncify_buffer instanceof WebAssembly.Global, 'globals pass through');
    },
  },
  {
    name: 'without a configured or discoverable unwind buffer, instantiation fails clearly',
    fixture: 'no-buffer',
    backends: ['asyncify'],
    async run({ runtime, load, check }) {
      const imports = { env: { get_i32: async (x) => x + 1 } };
      await check.rejects(load(imports), runtime.AsyncifyConfigError, /no unwind buffer/, 'instantiate');
      const instance = await load(imports, { buffer: { address: 1024, size: 1024 } });
      check.equal(await instance.exports.add_async(2), 5, 'explicit buffer');
    },
  },
  {
    name: 'memory64: i64 pointers for the unwind buffer',
    fixture: 'memory64',
    backends: ALL,
    requires: ['memory64'],
    async run({ load, check }) {
      const instance = await load({ env: { get_i64: async (x) => { await tick(); return x * 2n; } } });
      check.equal(await instance.exports.store_and_add(64n, 5n), 15n, 'result');
    },
  },
  {
    name: 'memory64: 8-byte [current, end] fields and i64 pointers (hand-instrumented module)',
    fixture: 'memory64-handmade',
    backends: ['asyncify'],
    requires: ['memory64'],
    async run({ runtime, load, bytes, backend, check }) {
      const imports = { env: { get_i64: async (x) => { await tick(); return x * 10n; } } };
      const instance = await load(imports);
      check.equal(await instance.exports.add_async(7n), 77n, 'result');
      const view = new DataView(instance.exports.memory.buffer);
      check.deepEqual([view.getBigUint64(4096, true), view.getBigUint64(4104, true), view.getBigUint64(4112, true)],
        [4112n, 8192n, 7n], 'header and saved local');
      // From a Module without bytes, the pointer width is probed instead of read.
      const fromModule = await runtime.instantiate(await WebAssembly.compile(bytes), imports, { backend });
      check.equal(await fromModule.exports.add_async(8n), 88n, 'result without bytes');
    },
  },
  {
    name: 'an import with several results gets a placeholder of the right shape',
    fixture: 'multivalue',
    backends: ALL,
    async run({ load, check }) {
      const instance = await load({ env: { pair: async (x) => { await tick(); return [x + 1, BigInt(x) * 100n]; } } });
      check.equal(await instance.exports.pair_sum(3), 304n, 'result');
    },
  },
  {
    name: 'asyncify data in a secondary memory named by options.dataMemory',
    fixture: 'secondary-memory',
    backends: ['asyncify'],
    requires: ['multi-memory'],
    async run({ runtime, load, check }) {
      const imports = { env: { get_i32: async (x) => { await tick(); return x * 10; } } };
      await check.rejects(load(imports), runtime.AsyncifyConfigError, /no unwind buffer/, 'without the option');
      const instance = await load(imports, { dataMemory: 'data_memory' });
      check.equal(await instance.exports.add_async(5), 55, 'result');
      const data = new DataView(instance.exports.data_memory.buffer);
      check.deepEqual([data.getUint32(0, true), data.getUint32(4, true), data.getUint32(8, true)], [8, 65536, 5], 'header and saved local');
      check.ok(new Uint8Array(instance.exports.memory.buffer).every((b) => b === 0), 'main memory untouched');
    },
  },
  {
    name: 'a transform-made secondary memory ("asyncify_memory") is found without options',
    fixture: 'secondary-transform',
    backends: ['asyncify'],
    requires: ['multi-memory'],
    async run({ load, check }) {
      const instance = await load({ env: { get_i32: async (x) => { await tick(); return x * 10; } } });
      check.ok(instance.exports.asyncify_memory instanceof WebAssembly.Memory, 'the transform exports its memory');
      const before = new Uint8Array(instance.exports.memory.buffer).slice();
      check.equal(await instance.exports.add_twice(3), 3 + 30 + 40, 'result');
      check.deepEqual(Array.from(new Uint8Array(instance.exports.memory.buffer)).filter((b, i) => b !== before[i]).length, 0, 'main memory untouched');
      const data = new DataView(instance.exports.asyncify_memory.buffer);
      check.equal(data.getUint32(4, true), instance.exports.asyncify_memory.buffer.byteLength, 'end field');
    },
  },
  {
    name: 'compiled C: shadow stack frames, recursion, i64 and queued calls',
    fixture: 'program',
    backends: ALL,
    async run({ load, check }) {
      const instance = await load({
        env: {
          get_number: async (i) => { await tick(); return i; },
          get_wide: async (x) => { await tick(); return x + 1n; },
        },
      });
      const { exports } = instance;
      await exports._initialize();
      const sp = exports.__stack_pointer.value;
      check.equal(await exports.sum_squares(10, 0), 385, 'sum of squares');
      const big = 2n ** 33n;
      check.equal(await exports.wide(big), (big + 1n) * 2n + big, 'i64');
      const results = await Promise.all([exports.sum_squares(5, 0), exports.sum_squares(6, 0)]);
      check.deepEqual(results, [55, 91], 'concurrent calls');
      check.equal(exports.__stack_pointer.value, sp, '__stack_pointer balanced');
    },
  },
  {
    name: 'instantiateStreaming and instantiate(Module) give the WebAssembly shapes',
    fixture: 'semantics',
    backends: ALL,
    async run({ runtime, bytes, backend, check }) {
      const response = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
      const { module, instance } = await runtime.instantiateStreaming(Promise.resolve(response), semanticsImports(), { backend });
      check.ok(module instanceof WebAssembly.Module, 'module');
      check.ok(instance instanceof runtime.Instance, 'instance');
      check.equal(instance.backend, backend, 'backend');
      check.equal(await instance.exports.add_async(1), 3, 'streamed');
      const second = await runtime.instantiate(module, semanticsImports(), { backend });
      check.ok(second instanceof WebAssembly.Instance, 'Instance from Module');
      const direct = new runtime.Instance(module, semanticsImports(), { backend });
      check.equal(await direct.exports.i64_roundtrip(1n), 4n, 'new Instance');
    },
  },
  {
    name: 'backend "auto": Asyncify when instrumented, else JSPI when available, else no pausing',
    fixture: 'semantics',
    backends: ['auto'],
    async run({ runtime, load, bytes, check }) {
      const { exports: list } = await WebAssembly.compile(bytes).then((m) => ({ exports: WebAssembly.Module.exports(m) }));
      const instrumented = list.some((e) => e.name === 'asyncify_start_unwind');
      const instance = await load(semanticsImports());
      const expected = instrumented ? 'asyncify' : runtime.hasJspi() ? 'jspi' : 'sync';
      check.equal(instance.backend, expected, 'chosen backend');
      const pending = instance.exports.add_async(1);
      check.ok(pending instanceof Promise, 'exports return Promises');
      if (expected === 'sync') {
        await check.rejects(pending, runtime.AsyncifyImportError, /not instrumented by Asyncify and this engine lacks JSPI/, 'async import');
      } else {
        check.equal(await pending, 3, 'result');
      }
    },
  },
  {
    name: 'backend "sync": exports stay synchronous and a Promise from an import is a named error',
    fixture: 'semantics',
    backends: ['sync'],
    async run({ runtime, load, check }) {
      const instance = await load(semanticsImports({ get_i32: (x) => x + 1 }));
      check.equal(instance.exports.add_async(1), 3, 'synchronous result');
      const failing = await load(semanticsImports());
      await check.rejects(() => failing.exports.add_async(1), runtime.AsyncifyImportError, /backend is "sync"/, 'async import');
    },
  },
];

export { sleep, tick };
