#!/usr/bin/env node
// Builds the WASI test programs into runtime/js/build/wasi/:
//   NAME.wasm           clang --target=wasm32-wasi -O2 (untouched by wasm-opt)
//   NAME.binaryen.wasm  Binaryen: wasm-opt -O2 --asyncify, pausing at the async WASI imports
//   NAME.ours.wasm      the project's wasm-asyncify, when build/wasm-asyncify exists or
//                       ASYNCIFY_TOOL names a tool
// Skips outputs newer than their inputs. Usage: node build-programs.mjs [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASYNC_IMPORTS } from '../../src/wasi/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
export const OUT = resolve(here, '../../build/wasi');
const SOURCES = join(here, 'programs');

const importsArg = `asyncify-imports@${ASYNC_IMPORTS.map((n) => `wasi_snapshot_preview1.${n}`).join(',')}`;

/** The project's transformer, or null when it is not built. */
export function ourTool() {
  if (process.env.ASYNCIFY_TOOL) return process.env.ASYNCIFY_TOOL;
  const built = join(repo, 'build/wasm-asyncify');
  return existsSync(built) ? built : null;
}

// Test files run in parallel processes that may all build: write elsewhere, then rename.
function produce(out, make) {
  const temp = `${out}.${process.pid}.tmp`;
  try {
    make(temp);
    renameSync(temp, out);
  } finally {
    rmSync(temp, { force: true });
  }
}

const stale = (out, input) => process.argv.includes('--force') || !existsSync(out) || statSync(out).mtimeMs < statSync(input).mtimeMs;

export function buildPrograms({ log = console.log } = {}) {
  mkdirSync(OUT, { recursive: true });
  const tool = ourTool();
  const toolErrors = new Map();
  const names = readdirSync(SOURCES).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
  for (const name of names) {
    const src = join(SOURCES, `${name}.c`);
    const plain = join(OUT, `${name}.wasm`);
    if (stale(plain, src)) {
      log(`clang ${name}.c`);
      // Compile with -O2 but link without -O: clang would run any wasm-opt on PATH after an
      // optimised link, and the baseline must be clang's own output.
      const object = join(OUT, `${name}.${process.pid}.o`);
      try {
        execFileSync('clang', ['--target=wasm32-wasi', '-O2', '-Wall', '-c', src, '-o', object], { stdio: 'inherit' });
        produce(plain, (temp) => execFileSync('clang', ['--target=wasm32-wasi', object, '-o', temp], { stdio: 'inherit' }));
      } finally {
        rmSync(object, { force: true });
      }
    }
    const binaryen = join(OUT, `${name}.binaryen.wasm`);
    if (stale(binaryen, plain)) {
      log(`wasm-opt --asyncify ${name}`);
      produce(binaryen, (temp) => execFileSync('wasm-opt', [plain, '-O2', '--asyncify', `--pass-arg=${importsArg}`, '-o', temp], { stdio: 'inherit' }));
    }
    if (tool) {
      const ours = join(OUT, `${name}.ours.wasm`);
      const toolChanged = existsSync(tool) && existsSync(ours) && statSync(ours).mtimeMs < statSync(tool).mtimeMs;
      if (stale(ours, plain) || toolChanged) {
        log(`${tool} ${name}`);
        rmSync(ours, { force: true });
        try {
          produce(ours, (temp) => execFileSync(tool, [plain, '-o', temp, `--pass-arg=${importsArg}`], { stdio: 'pipe' }));
        } catch (error) {
          // Reported by the tests that run this variant, so that the other variants still run.
          toolErrors.set(name, `${tool} failed on ${name}.wasm: ${String(error.stderr ?? error.message).trim()}`);
          log(toolErrors.get(name));
        }
      }
    }
  }
  return { names, tool, toolErrors };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { toolErrors } = buildPrograms();
  if (toolErrors.size > 0) process.exitCode = 1;
}
