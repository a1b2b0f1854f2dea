// --export-globals and --import-globals: __asyncify_state and __asyncify_data become visible to the
// host and hold the ABI's values. Binaryen 108 knows only the older spelling
// asyncify-relocatable for importing them and has no option to export them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, load } from './lib/toolchain.mjs';
import { threeWays, standardImports } from './lib/three-ways.mjs';

const ws = new Workspace('globals');
const wasm = ws.compileC('article.c');

// While the answer is pending (the call unwound and stopped), record what the globals hold.
function watching(globalsOf) {
  return (io, async) => {
    const imports = standardImports(io, async);
    const answer = imports.env.get_answer;
    imports.env.get_answer = () => {
      const result = answer();
      if (!async) return result;
      return result.then((value) => {
        const { state, data } = globalsOf(io);
        io.seen = { state: state.value, data: data.value };
        return value;
      });
    };
    return imports;
  };
}

const callAnswer = async (call, io) => void io.out.push(await call('answer'));

test('exported globals show state 0 after stop_unwind and the data pointer', async () => {
  let seen;
  const runs = await threeWays(ws, wasm, {
    oursArgs: ['--export-globals'],
    binaryen: false,
    makeImports: watching((io) => ({ state: io.exports.__asyncify_state, data: io.exports.__asyncify_data })),
    drive: async (call, io, { host }) => {
      await callAnswer(call, io);
      if (host) seen = { ...io.seen, dataAddress: host.dataAddress, after: io.exports.__asyncify_state.value };
    },
  });
  assert.equal(runs.ours.unwinds, 1);
  assert.deepEqual(seen, { state: 0, data: seen.dataAddress, dataAddress: seen.dataAddress, after: 0 });
});

test('imported globals are the ones the module updates', async () => {
  const globals = [];
  const makeImports = (io, async) => {
    const state = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    const data = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
    const imports = watching(() => ({ state, data }))(io, async);
    imports.env.__asyncify_state = state;
    imports.env.__asyncify_data = data;
    if (async) globals.push({ state, data, io });
    return imports;
  };
  await threeWays(ws, wasm, {
    oursArgs: ['--import-globals'],
    binaryenArgs: ['asyncify-relocatable'],
    makeImports,
    drive: callAnswer,
  });
  assert.equal(globals.length, 2, 'ours and Binaryen');
  for (const { io, data } of globals) {
    assert.equal(io.seen.state, 0);
    assert.ok(io.seen.data > 0 && io.seen.data === data.value);
  }
});

// With imported globals another module (a main module sharing them with its side modules) may
// start the rewind: the prologues must read the shared state, not a flag of this module's own.
// The chain's functions count their entries in memory, so a rewind that ran the normal path
// instead would count twice, and leave its frames in the buffer.
test('a rewind started by setting the imported state global resumes every frame', async () => {
  const depth = 9;
  let text = '(module\n  (import "env" "get" (func $get (result i32)))\n  (memory (export "memory") 1)\n';
  text += '  (func $f0 (param $x i32) (result i32)\n    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))\n    (i32.add (call $get) (local.get $x)))\n';
  for (let k = 1; k < depth; k++) {
    text += `  (func $f${k} (param $x i32) (result i32)\n    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))\n`;
    text += `    (i32.add (call $f${k - 1} (local.get $x)) (i32.const ${k})))\n`;
  }
  text += `  (func (export "run") (param $x i32) (result i32)\n    (i32.mul (call $f${depth - 1} (local.get $x)) (i32.const 2))))\n`;
  const file = ws.ours(ws.assembleText('shared-state', text), { imports: ['env.get'], args: ['--import-globals'] }).wasm;
  const state = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  const data = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  const BUFFER = 1024;
  let exports;
  const get = () => {
    if (state.value === 2) {
      exports.asyncify_stop_rewind();
      return 5;
    }
    exports.asyncify_start_unwind(BUFFER);
    return 0;
  };
  const { instance } = await WebAssembly.instantiate(load(file), {
    env: { get, __asyncify_state: state, __asyncify_data: data },
  });
  exports = instance.exports;
  const words = () => new Int32Array(exports.memory.buffer);
  words().set([BUFFER + 8, BUFFER + 8 + 4096], BUFFER / 4);
  exports.run(3);
  exports.asyncify_stop_unwind();
  assert.ok(words()[BUFFER / 4] > BUFFER + 8, 'frames were saved');
  // What another module's asyncify_start_rewind does to the shared globals.
  data.value = BUFFER;
  state.value = 2;
  const expected = (5 + 3 + (depth * (depth - 1)) / 2) * 2;
  assert.equal(exports.run(3), expected);
  assert.equal(state.value, 0);
  assert.equal(words()[0], depth, 'each function entered once on the normal path');
  assert.equal(words()[BUFFER / 4], BUFFER + 8, 'every frame was taken back');
});
