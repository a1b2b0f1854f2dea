// The byte reader that gives the runtime exact import types.
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as check from './check.mjs';
import { readModuleInfo } from '../src/module-info.js';

const built = (path) => readFileSync(new URL(`../build/fixtures/${path}`, import.meta.url));
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

test('import types are exact: i64, f64, no results, several results', () => {
  const info = readModuleInfo(built('plain/semantics.wasm'));
  const type = (name) => info.imports.find((i) => i.name === name).type;
  check.deepEqual(type('get_i64'), { params: ['i64'], results: ['i64'] }, 'get_i64');
  check.deepEqual(type('get_f64'), { params: [], results: ['f64'] }, 'get_f64');
  check.deepEqual(type('pause'), { params: ['i32'], results: [] }, 'pause');
  check.deepEqual(readModuleInfo(built('plain/multivalue.wasm')).imports[0].type,
    { params: ['i32'], results: ['i32', 'i64'] }, 'pair');
});

test('export types and memory64 limits are read', () => {
  const info = readModuleInfo(built('plain/memory64-handmade.wasm'));
  check.deepEqual(info.exports.get('asyncify_start_unwind').type, { params: ['i64'], results: [] }, 'start_unwind');
  check.equal(info.exports.get('memory').memory.is64, true, 'memory64');
});

test('GC type sections (rec groups, subtypes, structs) are skipped correctly', () => {
  const types = [
    0x01, 0x0c, // type section, 12 bytes
    0x01, 0x4e, 0x02, // one rec group of two types
    0x4f, 0x00, 0x5f, 0x01, 0x7f, 0x01, // sub final, struct { mut i32 }
    0x60, 0x01, 0x64, 0x00, 0x01, 0x7f, // func (param (ref 0)) (result i32)
  ];
  types[1] = types.length - 2;
  const imports = [0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x01]; // "m"."f" func type 1
  const info = readModuleInfo(new Uint8Array([...HEADER, ...types, ...imports]));
  check.deepEqual(info.imports[0], { module: 'm', name: 'f', kind: 'function', type: { params: ['ref'], results: ['i32'] } }, 'import');
});

test('malformed modules fail with the byte offset', () => {
  const truncated = new Uint8Array([...HEADER, 0x01, 0x05, 0x01, 0x60]);
  let error;
  try { readModuleInfo(truncated); } catch (e) { error = e; }
  check.ok(error instanceof TypeError && /section runs past the end \(at offset 0x/.test(error.message), `truncated: ${error?.message}`);
  const huge = new Uint8Array([...HEADER, 0x02, 0x02, 0xff, 0x01]);
  error = undefined;
  try { readModuleInfo(huge); } catch (e) { error = e; }
  check.ok(/count larger than the bytes left \(at offset 0xa\)/.test(error?.message), `count: ${error?.message}`);
});

test('a Module without bytes uses type reflection where the engine has it', (t) => {
  const flag = '--experimental-wasm-type-reflection';
  if (spawnSync(process.execPath, [flag, '-e', '0']).status !== 0) {
    t.skip(`${flag} not accepted by this Node`);
    return;
  }
  const moduleInfo = fileURLToPath(new URL('../src/module-info.js', import.meta.url));
  const wasm = fileURLToPath(new URL('../build/fixtures/plain/multivalue.wasm', import.meta.url));
  const code = `
    import { reflectModuleInfo } from ${JSON.stringify(moduleInfo)};
    import { readFileSync } from 'node:fs';
    const module = new WebAssembly.Module(readFileSync(${JSON.stringify(wasm)}));
    console.log(JSON.stringify(reflectModuleInfo(module).imports[0].type));`;
  const child = spawnSync(process.execPath, [flag, '--input-type=module', '-e', code], { encoding: 'utf8' });
  check.equal(child.status, 0, `child failed: ${child.stderr}`);
  check.deepEqual(JSON.parse(child.stdout), { params: ['i32'], results: ['i32', 'i64'] }, 'reflected type');
});
