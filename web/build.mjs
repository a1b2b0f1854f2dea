#!/usr/bin/env node
// Builds the browser shell into web/dist/:
//   wasm/plain/NAME.wasm     clang --target=wasm32-wasi -O2, untouched (run through JSPI)
//   wasm/asyncify/NAME.wasm  the same module instrumented by the project's wasm-asyncify at the
//                            async WASI imports (run through the Asyncify backend)
//   programs.json            the program names
//   runtime/                 the runtime package (runtime/js), served as ES modules
//   xterm/                   @xterm/xterm's module and stylesheet
//   index.html, src/         the page
// ASYNCIFY_TOOL names the transformer: default build/wasm-asyncify; a path ending in wasm-opt
// runs Binaryen's Asyncify instead, for comparison (use --force when switching).
// Outputs newer than their inputs are kept; --force rebuilds everything.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const dist = join(here, 'dist');
const sources = join(here, 'programs');
const force = process.argv.includes('--force');
const tool = process.env.ASYNCIFY_TOOL ?? join(repo, 'build/wasm-asyncify');

const { ASYNC_IMPORTS } = await import(join(repo, 'runtime/js/src/wasi/index.js'));
const asyncImports = ASYNC_IMPORTS.map((name) => `wasi_snapshot_preview1.${name}`).join(',');

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);
const newest = (paths) => Math.max(...paths.map(mtime));
const stale = (out, inputs) => force || !existsSync(out) || mtime(out) < newest(inputs);

// Writes to a temporary name and renames, so an interrupted build leaves no truncated output.
function produce(out, make) {
  const temp = `${out}.${process.pid}.tmp`;
  try {
    make(temp);
    renameSync(temp, out);
  } finally {
    rmSync(temp, { force: true });
  }
}

function run(command, args) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function buildPrograms() {
  if (tool.includes('/') && !existsSync(tool)) {
    throw new Error(`${tool} not found: build it (cmake -S . -B build -G Ninja && ninja -C build) or set ASYNCIFY_TOOL`);
  }
  const plainDir = join(dist, 'wasm/plain');
  const asyncDir = join(dist, 'wasm/asyncify');
  const objDir = join(dist, 'obj');
  for (const dir of [plainDir, asyncDir, objDir]) mkdirSync(dir, { recursive: true });
  const support = join(sources, 'support');
  const supportInputs = readdirSync(support).map((f) => join(support, f));
  const supportObj = join(objDir, 'support.o');
  const compile = (src, obj) => run('clang', ['--target=wasm32-wasi', '-O2', '-Wall', '-Werror', '-c', src, '-o', obj]);
  if (stale(supportObj, supportInputs)) produce(supportObj, (temp) => compile(join(support, 'support.c'), temp));

  const names = readdirSync(sources).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2)).sort();
  for (const name of names) {
    const src = join(sources, `${name}.c`);
    const obj = join(objDir, `${name}.o`);
    const plain = join(plainDir, `${name}.wasm`);
    const instrumented = join(asyncDir, `${name}.wasm`);
    if (stale(obj, [src, ...supportInputs])) {
      console.log(`clang ${name}.c`);
      produce(obj, (temp) => compile(src, temp));
    }
    if (stale(plain, [obj, supportObj])) {
      // Linked without -O: clang would run any wasm-opt on PATH after an optimised link.
      produce(plain, (temp) => run('clang', ['--target=wasm32-wasi', obj, supportObj, '-lm',
        '-Wl,--export=asyncify_buffer', '-Wl,--strip-all', '-o', temp]));
    }
    if (stale(instrumented, [plain, tool])) {
      console.log(`wasm-asyncify ${name}.wasm`);
      // Binaryen's wasm-opt (for comparison) takes the same list in its own spelling.
      const args = (temp) => (basename(tool) === 'wasm-opt'
        ? [plain, '-O2', '--asyncify', `--pass-arg=asyncify-imports@${asyncImports}`, '-o', temp]
        : [plain, '-o', temp, '--imports', asyncImports]);
      produce(instrumented, (temp) => run(tool, args(temp)));
    }
  }
  writeFileSync(join(dist, 'programs.json'), `${JSON.stringify(names)}\n`);
  return names;
}

function copyAssets() {
  const require = createRequire(import.meta.url);
  let xterm;
  try {
    xterm = dirname(dirname(require.resolve('@xterm/xterm')));
  } catch {
    throw new Error('@xterm/xterm is not installed: run npm ci in web/');
  }
  mkdirSync(join(dist, 'xterm'), { recursive: true });
  cpSync(join(xterm, 'lib/xterm.mjs'), join(dist, 'xterm/xterm.mjs'));
  cpSync(join(xterm, 'css/xterm.css'), join(dist, 'xterm/xterm.css'));
  const runtime = join(repo, 'runtime/js');
  rmSync(join(dist, 'runtime'), { recursive: true, force: true });
  cpSync(join(runtime, 'index.js'), join(dist, 'runtime/index.js'));
  cpSync(join(runtime, 'src'), join(dist, 'runtime/src'), {
    recursive: true,
    filter: (path) => !/\.d\.ts$|\.md$|backends\/node\.js$/.test(path),
  });
  rmSync(join(dist, 'src'), { recursive: true, force: true });
  cpSync(join(here, 'src'), join(dist, 'src'), { recursive: true });
  cpSync(join(here, 'index.html'), join(dist, 'index.html'));
}

const started = performance.now();
const names = buildPrograms();
copyAssets();
console.log(`built ${names.length} programs and the page into ${dist} in ${Math.round(performance.now() - started)} ms`);
