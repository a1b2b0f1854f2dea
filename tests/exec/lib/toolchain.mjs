// Builds the suite's inputs and both transformed variants into tests/exec/build/<suite>/.
// Nothing is cached between runs: the transformer changes often and a stale output would hide a
// regression. Each test file builds into its own folder so parallel files never collide.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import './keep-alive.mjs';

export const EXEC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(EXEC_DIR, '../..');
export const PROGRAMS_DIR = join(EXEC_DIR, 'programs');
export const ASYNCIFY_TOOL = process.env.ASYNCIFY_TOOL ?? join(REPO_DIR, 'build/wasm-asyncify');
const WASM_OPT = process.env.WASM_OPT ?? 'wasm-opt';
// wabt.js from npm (tests/exec/package.json), newer than Debian's wabt 1.0.32: it assembles and
// validates try_table and exnref. Chosen per module with `wabt: 'npm'`.
const WABT_NPM = join(EXEC_DIR, 'node_modules/wabt/bin');

// A Binaryen 132 tool's script from npm (run it with node).
function binaryenScript(tool) {
  const script = join(EXEC_DIR, 'node_modules/binaryen/bin', tool);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm ci in tests/exec`);
  return script;
}

// [command, leading args] of a wabt tool from Debian ('system') or npm.
function wabtTool(tool, wabt) {
  if (wabt === 'system') return [tool, []];
  const script = join(WABT_NPM, tool);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm ci in tests/exec`);
  return [process.execPath, [script]];
}

// Every tool the harness runs finishes in seconds; one that hangs is killed after this and named
// in the failure, instead of the whole test file timing out with no word of which command hung.
const TOOL_TIMEOUT_MS = 180_000;

function run(command, args, env = undefined) {
  try {
    const options = {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL',
    };
    if (env) options.env = { ...process.env, ...env };
    return execFileSync(command, args, options);
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    const how = error.code === 'ETIMEDOUT' ? `hung: killed after ${TOOL_TIMEOUT_MS / 1000} s`
      : error.signal ? `killed by ${error.signal}` : `exit ${error.status}`;
    throw new Error(`${command} ${args.join(' ')} failed (${how}):\n${output}`);
  }
}

export class Workspace {
  constructor(suite) {
    this.dir = join(EXEC_DIR, 'build', suite);
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(ASYNCIFY_TOOL)) {
      throw new Error(`${ASYNCIFY_TOOL} is missing: run cmake -S . -B build -G Ninja && ninja -C build`);
    }
  }

  path(name) {
    return join(this.dir, name);
  }

  // C without libc: compile and link separately so that no wasm-opt touches clang's output.
  compileC(source, { flags = [] } = {}) {
    const name = basename(source, '.c') + (flags.length ? '-' + flags.join('').replace(/[^a-z0-9]/gi, '') : '');
    const object = this.path(`${name}.o`);
    const wasm = this.path(`${name}.wasm`);
    run('clang', ['--target=wasm32', '-O2', '-fno-builtin', ...flags, '-c', join(PROGRAMS_DIR, source), '-o', object]);
    run('wasm-ld', ['--no-entry', '--export-dynamic', '--allow-undefined', object, '-o', wasm]);
    return wasm;
  }

  // C with wasi-libc, as a reactor. Linking goes through the clang driver (it knows the libc
  // paths) with an empty PATH and an explicit linker, so that it cannot find and run a wasm-opt.
  compileWasi(source, { flags = [] } = {}) {
    const name = basename(source, '.c');
    const object = this.path(`${name}.o`);
    const wasm = this.path(`${name}.wasm`);
    run('clang', ['--target=wasm32-wasi', '-O2', ...flags, '-c', join(PROGRAMS_DIR, source), '-o', object]);
    run('/usr/bin/clang', ['--target=wasm32-wasi', '-O2', '-mexec-model=reactor', '--ld-path=/usr/bin/wasm-ld',
      object, '-o', wasm], { PATH: '/nonexistent' });
    return wasm;
  }

  // WAT: `features` are wat2wasm flags such as --enable-tail-call; `wabt: 'npm'` for wabt.js.
  assemble(source, options = {}) {
    return this.#wat2wasm(join(PROGRAMS_DIR, source), this.path(basename(source, '.wat') + '.wasm'), options);
  }

  // WAT given inline (small per-test variants).
  assembleText(name, text, options = {}) {
    const wat = this.path(`${name}.wat`);
    writeFileSync(wat, text);
    return this.#wat2wasm(wat, this.path(`${name}.wasm`), options);
  }

  #wat2wasm(wat, wasm, { features = [], wabt = 'system' }) {
    const [command, args] = wabtTool('wat2wasm', wabt);
    run(command, [...args, ...features, wat, '-o', wasm]);
    return wasm;
  }

  // WAT that no wabt reads (GC types): Binaryen's wasm-as, from npm like wabt.js.
  assembleTextWithBinaryen(name, text, { features = [] } = {}) {
    const wat = this.path(`${name}.wat`);
    writeFileSync(wat, text);
    const wasm = this.path(`${name}.wasm`);
    run(process.execPath, [binaryenScript('wasm-as'), ...features, wat, '-o', wasm]);
    return wasm;
  }

  // Binaryen's text form of a module (GC types included), for tests that look at the code.
  disassembleWithBinaryen(wasm) {
    return execFileSync(process.execPath, [binaryenScript('wasm-dis'), '--enable-gc', '--enable-reference-types',
      '--enable-exception-handling', '--enable-multivalue', '--enable-tail-call', wasm], { encoding: 'utf8' });
  }

  // Our transform. Returns { wasm, report }; report (the parsed --report JSON) only on request.
  ours(input, { imports = [], args = [], suffix = 'ours', validateFeatures = [], report = false, wabt = 'system' } = {}) {
    const out = input.replace(/\.wasm$/, `.${suffix}.wasm`);
    const reportPath = out.replace(/\.wasm$/, '.json');
    const importArgs = imports.length ? ['--imports', imports.join(',')] : [];
    const reportArgs = report ? ['--report', reportPath] : [];
    run(ASYNCIFY_TOOL, [input, '-o', out, ...importArgs, ...args, ...reportArgs]);
    validate(out, validateFeatures, wabt);
    return { wasm: out, report: report ? JSON.parse(readFileSync(reportPath, 'utf8')) : null };
  }

  // Binaryen's transform, the reference for the harness itself. `optimizeFirst: false` runs
  // -O2 after --asyncify instead of before it.
  binaryen(input, { imports = [], passArgs = [], suffix = 'binaryen', validateFeatures = [], optimizeFirst = true } = {}) {
    const out = input.replace(/\.wasm$/, `.${suffix}.wasm`);
    const importArgs = imports.length ? [`--pass-arg=asyncify-imports@${imports.join(',')}`] : [];
    const passes = optimizeFirst ? ['-O2', '--asyncify'] : ['--asyncify', '-O2'];
    run(WASM_OPT, [input, ...passes, ...importArgs, ...passArgs.map((a) => `--pass-arg=${a}`),
      '--enable-simd', '--enable-multivalue', '--enable-bulk-memory', '--enable-sign-ext',
      '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '-o', out]);
    validate(out, validateFeatures);
    return out;
  }
}

// Every transformed output must pass wabt's validator and our own (`wabt: 'none'` where no wabt
// reads the module, such as GC types: the engine that runs it checks it too).
export function validate(wasm, features = [], wabt = 'system') {
  if (wabt !== 'none') {
    const [command, args] = wabtTool('wasm-validate', wabt);
    run(command, [...args, ...features, wasm]);
  }
  run(ASYNCIFY_TOOL, [wasm, '--validate-only']);
}

// Names of the functions our transform instrumented, from its --report.
export function instrumented(report) {
  return report.functions.filter((f) => f.role === 'instrumented').map((f) => f.name).sort();
}

export function load(wasm) {
  return readFileSync(wasm);
}
