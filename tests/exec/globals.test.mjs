// --export-globals and --import-globals: __asyncify_state and __asyncify_data become visible to the
// host and hold the ABI's values. Binaryen 108 knows only the older spelling
// asyncify-relocatable for importing them and has no option to export them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from './lib/toolchain.mjs';
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
