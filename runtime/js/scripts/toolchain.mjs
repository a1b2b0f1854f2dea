// Build steps shared by the fixture builder and the examples: WAT/C to wasm, then Asyncify
// with Binaryen's wasm-opt and, when present, with the project's own wasm-asyncify.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const packageRoot = resolve(here, '..');
export const repoRoot = resolve(packageRoot, '../..');

function run(command, args, env) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed:\n${output || error.message}`);
  }
}

/** The transformers to test with: Binaryen always, ours when built or named by ASYNCIFY_TOOL. */
export function transformers() {
  const tools = [{ name: 'binaryen', path: 'wasm-opt' }];
  const ours = process.env.ASYNCIFY_TOOL || resolve(repoRoot, 'build/wasm-asyncify');
  if (existsSync(ours)) tools.push({ name: 'wasm-asyncify', path: ours });
  return tools;
}

/** Reads `;; key: value` (WAT) or `// key: value` (C) lines at the top of a fixture. */
export function fixtureHeader(path) {
  const header = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*(?:;;|\/\/)\s*([a-z0-9-]+):\s*(.*)$/.exec(line);
    if (m) header[m[1]] = m[2].trim();
  }
  return header;
}

export function watToWasm(source, output, features = []) {
  mkdirSync(dirname(output), { recursive: true });
  run('wat2wasm', [...features, source, '-o', output]);
}

/**
 * Compiles at -O2 but links without -O: clang would otherwise run any wasm-opt on PATH over
 * the linked module, which must stay untransformed here.
 */
export function compileC(source, output, { reactor = false, linkFlags = [] } = {}) {
  mkdirSync(dirname(output), { recursive: true });
  const object = `${output}.o`;
  run('clang', ['--target=wasm32-wasi', '-O2', '-mmutable-globals', '-c', source, '-o', object]);
  run('clang', ['--target=wasm32-wasi', ...(reactor ? ['-mexec-model=reactor'] : []), object, '-o', output, ...linkFlags]);
}

/**
 * @param {{name: string, path: string}} tool
 * @param {string[]} imports module.name of the imports that may pause
 * @param {string[]} features extra wasm-opt feature flags, for Binaryen only (wasm-asyncify reads every feature)
 * @param {string[]} passArgs extra `--pass-arg=asyncify-*` arguments, understood by both tools
 */
export function asyncify(tool, input, output, imports, features = [], passArgs = []) {
  mkdirSync(dirname(output), { recursive: true });
  const list = imports.join(',');
  if (tool.name === 'binaryen') {
    run(tool.path, [input, ...features, '-O2', '--asyncify', `--pass-arg=asyncify-imports@${list}`, ...passArgs, '-o', output]);
  } else {
    run(tool.path, [input, '-o', output, ...(list ? ['--imports', list] : []), ...passArgs]);
  }
}
