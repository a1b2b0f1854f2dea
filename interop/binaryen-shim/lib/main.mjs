// A `wasm-opt` front end that performs `--asyncify` with our transform and hands every other
// pass to the real wasm-opt. See plan.mjs for how a command line is split.
//
// Environment:
//   REAL_WASM_OPT      the real wasm-opt (default /usr/bin/wasm-opt)
//   WASM_ASYNCIFY      our tool (default <repo>/build/wasm-asyncify); the value `binaryen` runs
//                      the asyncify step with the real `wasm-opt --asyncify` instead, which keeps
//                      the split itself testable against Binaryen alone
//   WASM_OPT_SHIM_TRACE  file to append one JSON line per call with each stage's time
//   WASM_OPT_SHIM_KEEP   folder in which to keep each call's intermediate files (to reproduce a
//                        failing asyncify step outside the build that ran it)
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCommand, PlanError } from './plan.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const realWasmOpt = process.env.REAL_WASM_OPT || '/usr/bin/wasm-opt';
const asyncifyTool = process.env.WASM_ASYNCIFY || path.resolve(here, '../../../build/wasm-asyncify');

function fail(message) {
  process.stderr.write(`wasm-opt (asyncify front end): ${message}\n`);
  process.exit(1);
}

// Runs one stage; returns its exit status (1 when it could not run or was killed).
function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  const problem = result.error ? `cannot run ${cmd}: ${result.error.message}`
    : result.signal ? `${cmd} killed by ${result.signal}` : null;
  if (!problem) return result.status;
  process.stderr.write(`wasm-opt (asyncify front end): ${problem}\n`);
  return 1;
}

// The pass names of the real wasm-opt, read from its help text so that any Binaryen version works.
function realPassNames() {
  const help = spawnSync(realWasmOpt, ['--help'], { encoding: 'utf8' });
  if (help.error || help.status !== 0) fail(`cannot run ${realWasmOpt} --help`);
  const section = help.stdout.split(/^Optimization passes:$/m)[1]?.split(/^\S.*options:$/m)[0] ?? '';
  return new Set([...section.matchAll(/^ {2}--([a-z0-9-]+)/gm)].map((m) => m[1]));
}

// Passes the optimisation level to our tool only if it advertises -O flags.
function toolTakesOptFlag() {
  const help = spawnSync(asyncifyTool, ['--help'], { encoding: 'utf8' });
  return /(^|[\s[,])-O[0-4sz]?\b/m.test(`${help.stdout}${help.stderr}`);
}

function asyncifyCommand(stage, input, output) {
  if (asyncifyTool === 'binaryen') {
    return [realWasmOpt, [input, ...stage.globals, ...stage.levelArgs, '--asyncify',
      ...stage.passArgs, '-g', '-o', output]];
  }
  const opt = stage.optFlag && toolTakesOptFlag() ? [stage.optFlag] : [];
  // -g: our tool keeps DWARF as it is rather than dropping it (it does not rewrite it).
  const debug = stage.debugInfo ? ['-g'] : [];
  return [asyncifyTool, [input, '-o', output, ...stage.passArgs, ...opt, ...debug]];
}

function main(argv) {
  let plan;
  try {
    let passes;
    plan = planCommand(argv, (name) => (passes ??= realPassNames()).has(name));
  } catch (e) {
    if (e instanceof PlanError) fail(e.message);
    throw e;
  }
  if (plan.passthrough) process.exit(run(realWasmOpt, argv));
  if (asyncifyTool !== 'binaryen' && !existsSync(asyncifyTool)) {
    fail(`${asyncifyTool} not found: build it (cmake -S . -B build -G Ninja && ninja -C build), ` +
      'set WASM_ASYNCIFY to its path, or WASM_ASYNCIFY=binaryen to use wasm-opt --asyncify');
  }

  const keep = process.env.WASM_OPT_SHIM_KEEP;
  if (keep) mkdirSync(keep, { recursive: true });
  const dir = mkdtempSync(path.join(keep || tmpdir(), 'wasm-opt-shim-'));
  const trace = [];
  let status = 0;
  try {
    let current = plan.input;
    plan.stages.forEach((stage, i) => {
      if (status !== 0) return;
      const last = i === plan.stages.length - 1;
      const next = last ? plan.output : path.join(dir, `stage${i}.wasm`);
      const [cmd, args] = stage.tool === 'asyncify'
        ? asyncifyCommand(stage, current, next)
        : [realWasmOpt, [current, ...stage.args, ...(next ? ['-o', next] : [])]];
      const start = process.hrtime.bigint();
      status = run(cmd, args);
      trace.push({ tool: stage.tool === 'asyncify' ? path.basename(cmd) + ' (asyncify)' : 'wasm-opt',
        ms: Number(process.hrtime.bigint() - start) / 1e6, status });
      current = next;
    });
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.WASM_OPT_SHIM_TRACE) {
    appendFileSync(process.env.WASM_OPT_SHIM_TRACE, JSON.stringify({ argv, stages: trace }) + '\n');
  }
  process.exit(status);
}

main(process.argv.slice(2));
