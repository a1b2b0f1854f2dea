#!/usr/bin/env node
// Builds, transforms and runs the examples in Node:
//   node examples/run.mjs sleep|answer|greet|all [--tool binaryen|wasm-asyncify] [--build-only]
// The transformer defaults to wasm-asyncify when built (build/wasm-asyncify or ASYNCIFY_TOOL),
// else Binaryen's wasm-opt. Outputs: examples/build/<name>.wasm (transformed) and
// examples/build/plain/<name>.wasm (for JSPI, used by index.html when the engine has it).

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncify, compileC, transformers } from '../runtime/js/scripts/toolchain.mjs';
import { ASYNC_IMPORTS, EXAMPLES, runExample } from './host.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args.splice(index, 2)[1] : undefined;
};
const toolName = flag('--tool');
const buildOnly = args.includes('--build-only');
const which = args.find((a) => !a.startsWith('--')) ?? 'all';
const names = which === 'all' ? EXAMPLES : [which];
if (!names.every((n) => EXAMPLES.includes(n))) {
  console.error(`usage: node examples/run.mjs ${EXAMPLES.join('|')}|all [--tool binaryen|wasm-asyncify] [--build-only]`);
  process.exit(2);
}

const available = transformers();
const tool = toolName ? available.find((t) => t.name === toolName) : available.at(-1);
if (!tool) {
  console.error(`transformer "${toolName}" not available (have: ${available.map((t) => t.name).join(', ')})`);
  process.exit(2);
}

function build(name) {
  const plain = join(here, 'build/plain', `${name}.wasm`);
  const output = join(here, 'build', `${name}.wasm`);
  compileC(join(here, `${name}.c`), plain, { linkFlags: ['-Wl,--export=asyncify_buffer'] });
  asyncify(tool, plain, output, ASYNC_IMPORTS);
  return output;
}

let status = 0;
for (const name of names) {
  const output = build(name);
  if (buildOnly) {
    console.log(`built examples/build/${name}.wasm with ${tool.name}`);
    continue;
  }
  if (names.length > 1) console.log(`--- ${name} (${tool.name})`);
  const started = Date.now();
  const code = await runExample(await readFile(output), {
    write: (fd, text) => (fd === 2 ? process.stderr : process.stdout).write(text),
    readFile: async (path) => new Uint8Array(await readFile(join(here, path))),
  });
  if (names.length > 1) console.log(`--- exit ${code}, ${Date.now() - started} ms`);
  status ||= code;
}
process.exit(status);
