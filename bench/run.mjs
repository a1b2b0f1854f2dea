// Benchmark suite: wasm-asyncify against Binaryen's Asyncify (and JSPI where it applies).
//
//   node bench/run.mjs [--quick] [--reps N] [--only SECTION,...] [--inputs ID,...]
//                      [--max-bytes N] [--no-chromium] [--out FILE.md] [--svg FILE.svg] [--strict]
//
// Sections: roundtrip (a), transform (b, c), normal-path (d), pause (e), sqlite (f), compile (g).
// --quick: two small corpus inputs, one repetition, small workloads; writes under
// bench/results/tmp/ so it never replaces the committed full results. No timing is asserted;
// the run fails when the harness breaks; failures of a transformer (no output, invalid output,
// wrong results) are listed under "Problems", and make the run fail with --strict when they
// concern our tool.
// The tool under test is $OURS or build/wasm-asyncify; without it only the peers are measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './lib/chart.mjs';
import { ChromiumSession, chromiumMissing } from './lib/chromium.mjs';
import { haveGnuTime } from './lib/measure.mjs';
import { binaryenVersion, findOurs, transformers } from './lib/tools.mjs';
import { runCompile } from './sections/compile.mjs';
import { runNormalPath } from './sections/normal-path.mjs';
import { runPause } from './sections/pause.mjs';
import { runRoundTrip } from './sections/roundtrip.mjs';
import { runSqliteSection } from './sections/sqlite.mjs';
import { runTransform } from './sections/transform.mjs';
import { SERIES_ORDER, summaryPanels } from './summary.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = ['roundtrip', 'transform', 'normal-path', 'pause', 'sqlite', 'compile'];
const QUICK_INPUTS = ['tree-sitter', 'onig'];

function parseArgs(argv) {
  const o = { quick: false, reps: null, only: SECTIONS, inputs: null, maxBytes: null, chromium: true, out: null, svg: null,
    strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--reps') o.reps = Number(value());
    else if (a === '--only') o.only = value().split(',');
    else if (a === '--inputs') o.inputs = value().split(',');
    else if (a === '--max-bytes') o.maxBytes = Number(value());
    else if (a === '--no-chromium') o.chromium = false;
    else if (a === '--out') o.out = value();
    else if (a === '--svg') o.svg = value();
    else if (a === '--strict') o.strict = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/run.mjs [--quick] [--reps N] [--only roundtrip,transform,normal-path,pause,sqlite,compile]\n'
        + '  [--inputs ID,...] [--max-bytes N] [--no-chromium] [--out FILE.md] [--svg FILE.svg] [--strict]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  for (const s of o.only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s} (have ${SECTIONS.join(', ')})`);
  if (o.reps !== null && !(o.reps >= 1)) throw new Error('--reps needs a positive number');
  return o;
}

function corpusInputs(opts, cacheDir) {
  const dir = join(cacheDir, '..', 'corpus');
  const ids = opts.inputs ?? (opts.quick ? QUICK_INPUTS : null);
  const args = [dir];
  if (ids) args.push('--only', ids.join(','));
  if (opts.maxBytes) args.push('--max-bytes', String(opts.maxBytes));
  execFileSync(join(ROOT, 'scripts', 'fetch-corpus.sh'), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const listed = execFileSync(join(ROOT, 'scripts', 'fetch-corpus.sh'), [...args, '--list'], { encoding: 'utf8' });
  return listed.trim().split('\n').filter(Boolean).map((line) => {
    const [id, size] = line.split('\t');
    return { id, size: Number(size), path: join(dir, `${id}.wasm`) };
  });
}

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return null;
  }
}

function describeRun(ours, chromiumVersion) {
  const commit = firstLine('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']) ?? 'no commit yet';
  const dirty = spawnSync('git', ['-C', ROOT, 'diff', '--quiet', 'HEAD'], { stdio: 'ignore' }).status !== 0;
  const cpu = os.cpus();
  return [
    `- commit: ${commit}${dirty ? ' (with uncommitted changes)' : ''}; date: ${new Date().toISOString()}`,
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    `- tools: wasm-asyncify ${ours.present ? `${ours.version} (${relative(ROOT, ours.path) || ours.path})` : 'ABSENT (not built; only the peers were measured)'}; `
      + `${binaryenVersion() ?? 'wasm-opt not found'}; ${firstLine('clang', ['--version']) ?? 'clang not found'}; `
      + `Node ${process.version}; Chromium ${chromiumVersion ?? 'not used'}`,
  ].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cacheDir = join(ROOT, '.cache', 'bench');
  const outDir = join(cacheDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const resultsDir = opts.quick ? join(ROOT, 'bench', 'results', 'tmp') : join(ROOT, 'bench', 'results');
  const mdPath = opts.out ?? join(resultsDir, 'latest.md');
  const svgPath = opts.svg ?? (opts.quick ? join(resultsDir, 'latest.svg') : join(ROOT, 'docs', 'bench-results.svg'));

  const ours = findOurs(ROOT);
  const ctx = {
    root: ROOT, cacheDir, outDir, quick: opts.quick,
    reps: opts.reps ?? (opts.quick ? 1 : 5),
    budgetMs: opts.quick ? 10_000 : 60_000,
    ours, transformers: transformers(ours), chromium: null, chromiumMissing: null,
    log: (m) => console.error(m),
    problems: [],
  };
  ctx.problem = (tool, message) => {
    ctx.problems.push({ tool, message });
    ctx.log(`  PROBLEM [${tool}] ${message}`);
  };
  if (!ours.present) ctx.log(`bench: ${ours.path} not found; measuring only the peers (set OURS=path to choose the tool)`);
  if (!haveGnuTime) ctx.log('bench: /usr/bin/time missing (Debian package time): peak memory not measured');

  const needsCorpus = opts.only.some((s) => s === 'roundtrip' || s === 'transform' || s === 'compile');
  ctx.corpus = needsCorpus ? corpusInputs(opts, cacheDir) : [];
  const needsBrowser = opts.only.some((s) => s === 'pause' || s === 'sqlite');
  if (needsBrowser && opts.chromium) {
    ctx.chromiumMissing = chromiumMissing();
    if (!ctx.chromiumMissing) {
      try {
        ctx.chromium = await ChromiumSession.open();
      } catch (err) {
        ctx.chromiumMissing = `Chromium failed to start: ${err.message.split('\n')[0]}`;
      }
    }
    if (ctx.chromiumMissing) ctx.log(`bench: ${ctx.chromiumMissing}`);
  } else {
    ctx.chromiumMissing = 'disabled with --no-chromium';
  }

  const sections = [];
  const started = Date.now();
  try {
    for (const name of opts.only) {
      ctx.log(`bench: ${name}`);
      const run = { roundtrip: runRoundTrip, transform: runTransform, 'normal-path': runNormalPath,
        pause: runPause, sqlite: runSqliteSection, compile: runCompile }[name];
      const produced = await run(ctx);
      sections.push(...(Array.isArray(produced) ? produced : [produced]));
    }
  } finally {
    await ctx.chromium?.close();
  }

  const header = describeRun(ours, ctx.chromium?.version);
  const md = [
    `# Benchmark results${opts.quick ? ' (quick run)' : ''}`, '', header,
    `- repetitions: ${ctx.reps} (median; slow inputs stop repeating after ${ctx.budgetMs / 1000} s); `
      + `Binaryen commands: \`wasm-opt --all-features IN -O2 --asyncify [--pass-arg=asyncify-imports@LIST] -o OUT\` `
      + 'and the same without -O2; ours: `wasm-asyncify --all-features IN -o OUT [--imports LIST]` (and with -Os in the size tables, -O3 in the size and pause tables)',
    `- total bench time: ${((Date.now() - started) / 1000).toFixed(0)} s`, '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '', ...(s.notes ?? []).map((n) => `- ${n}`),
      ...(s.notes?.length ? [''] : [])]),
    ...(ctx.problems.length ? ['## Problems', '', ...ctx.problems.map((p) => `- [${p.tool}] ${p.message}`), ''] : []),
  ].join('\n');
  mkdirSync(dirname(mdPath), { recursive: true });
  writeFileSync(mdPath, md);
  // The raw figures beside the report, for later comparison between runs.
  writeFileSync(mdPath.replace(/\.md$/, '') + '.json', JSON.stringify({ header, sections: sections.map(({ id, title, data }) => ({ id, title, data })) }, null, 1));
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(svgPath, renderChart({
    heading: `wasm-asyncify vs Binaryen Asyncify${opts.quick ? ' (quick run)' : ''}`,
    lines: header.split('\n').map((l) => l.replace(/^- /, '')).flatMap((l) => l.match(/.{1,130}(\s|$)|.{1,130}/g)),
    panels: summaryPanels(sections),
    order: SERIES_ORDER,
  }));
  console.log(md);
  console.error(`bench: wrote ${relative(ROOT, mdPath)} and ${relative(ROOT, svgPath)}`);
  const ourProblems = ctx.problems.filter((p) => p.tool.startsWith('ours'));
  if (opts.strict && ourProblems.length) {
    console.error(`bench: --strict: ${ourProblems.length} problem(s) with wasm-asyncify`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(`bench: ${err.stack ?? err}`);
  process.exit(1);
});
