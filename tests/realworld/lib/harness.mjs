// Real-world modules still work after the transform, and keep working while every import call
// pauses. Each workload drives an npm package of the corpus (scripts/corpus/corpus.tsv) through
// its own JavaScript: with its original binary, then transformed by wasm-asyncify (default
// options, where every import may pause, and with an import list) and by Binaryen's
// `wasm-opt --asyncify` (which shows the harness itself is right). In the transformed runs
// pause-driver.mjs swaps the binary in and makes import calls unwind the whole wasm stack and
// rewind it at once. The printed results must be identical, and pauses must have happened.
//
// The packages come from scripts/fetch-corpus.sh (.cache/corpus), QuickJS's driver and
// tree-sitter's grammar from npm (`npm ci --ignore-scripts` in tests/realworld); without them
// the tests skip, unless REALWORLD_REQUIRED=1 (the test script sets it after installing both).
// One test file per package, so that they run in parallel (`node --test --test-concurrency=2`).
import assert from 'node:assert/strict';
import '../../exec/lib/keep-alive.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITE = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(SUITE, '..', '..');
const CORPUS = process.env.CORPUS_DIR ?? join(ROOT, '.cache', 'corpus');
const TOOL = process.env.ASYNCIFY_TOOL ?? join(ROOT, 'build', 'wasm-asyncify');
const WASM_OPT = process.env.WASM_OPT ?? 'wasm-opt';

// `malloc`: the allocator's export where the build minified its name; `buffer`: a fixed region
// for the unwind data instead (START:BYTES, see pause-driver.mjs); `pauses`: the fewest
// pauses the workload makes (it calls imports only at a few places); `listed`: the imports
// given to ours as its import list (the ones the workload pauses in most), and the fewest
// pauses they make; `npm`: what comes from npm here (the package itself, or a
// grammar it loads); `binaryen: false` where wasm-opt takes too long for the test suite;
// `speed`: also run ours with -O3 (frames of recursive functions inline), on the packages where
// that changes the most code.
export const WORKLOADS = {
  sqljs: { id: 'sqljs', script: 'sqljs.mjs', malloc: 'Ia', pauses: 500, listed: [['a.E', 'a.q', 'a.b'], 500], speed: true },
  onig: { id: 'onig', script: 'onig.mjs', pauses: 100, listed: [['env.emscripten_memcpy_big'], 100] },
  libwabt: { id: 'libwabt', script: 'libwabt.mjs', malloc: 'za', pauses: 1, listed: [['a.b'], 1] },
  brotli: { id: 'brotli', script: 'brotli.mjs', pauses: 10, listed: [['__wbindgen_placeholder__.__wbindgen_json_serialize'], 3] },
  resvg: { id: 'resvg', script: 'resvg.mjs', pauses: 20, listed: [['wbg.__wbindgen_string_get'], 3], speed: true },
  // Its grammar is a side module linked at run time.
  'tree-sitter': {
    id: 'tree-sitter', script: 'tree-sitter.mjs', pauses: 30, listed: [['env.tree_sitter_progress_callback'], 30], npm: 'grammar',
  },
  // Installed beside its driver package, quickjs-emscripten-core (the same binary).
  quickjs: { id: 'quickjs', script: 'quickjs.mjs', malloc: 'v', pauses: 300, listed: [['a.s'], 300], npm: 'package', speed: true },
  // Its glue calls Skia through the function table; the heap starts at 128 MB.
  canvaskit: { id: 'canvaskit', script: 'canvaskit.mjs', malloc: 'Ad', pauses: 1000, listed: [['a.j', 'a.q', 'a.v'], 950] },
  // Its parser's keyword matcher is one function of some 47,000 instructions.
  binaryen: { id: 'binaryen', script: 'binaryen.mjs', malloc: 'IB', pauses: 40000, listed: [['a.d', 'a.c', 'a.f'], 25000], binaryen: false },
  swc: {
    id: 'swc', script: 'swc.mjs', malloc: '__wbindgen_export_0', pauses: 20000, binaryen: false,
    listed: [['__wbindgen_placeholder__.__wbindgen_object_drop_ref', '__wbindgen_placeholder__.__wbg_get_b9b93047fe3cf45b',
      '__wbindgen_placeholder__.__wbindgen_jsval_loose_eq'], 8000],
  },
  // Go exports no allocator and its runtime takes all of memory as its heap, except the first
  // 4 KiB. Binaryen needs minutes and gigabytes for this module, swc's and its own (14, 18 and
  // 10 MB). esbuild lists the directories above the project as it resolves: how often it calls
  // imports depends on what else is in the temporary folder (never what it prints).
  esbuild: {
    id: 'esbuild', script: 'esbuild.mjs', buffer: '16:4080', pauses: 2500, binaryen: false,
    listed: [['gojs.syscall/js.valueCall', 'gojs.syscall/js.valueIndex', 'gojs.runtime.nanotime1'], 1000],
  },
};

function manifest() {
  const rows = readFileSync(join(ROOT, 'scripts', 'corpus', 'corpus.tsv'), 'utf8').split('\n');
  const entries = new Map();
  for (const row of rows) {
    if (!row || row.startsWith('#')) continue;
    const [id, , version, , , , sha256] = row.split('\t');
    entries.set(id, { version, sha256 });
  }
  return entries;
}

const work = mkdtempSync(join(tmpdir(), 'realworld-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The package's folder: unpacked from the tarball that fetch-corpus.sh downloaded, or this
// folder for packages that npm installs here; null when it is not there.
function packageDir(workload, { version }) {
  if (!existsSync(join(CORPUS, `${workload.id}.wasm`))) return null;
  if (workload.npm && !existsSync(join(SUITE, 'node_modules'))) return null;
  if (workload.npm === 'package') return SUITE;
  const id = workload.id;
  const tarball = join(CORPUS, '.packages', `${id}-${version}`, 'package.tgz');
  if (!existsSync(tarball)) return null;
  const dir = join(work, id);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  return join(dir, 'package');
}

function runWorkload(workload, pkgDir, swap) {
  const env = { ...process.env };
  const args = [join(SUITE, 'workloads', workload.script), pkgDir];
  const stats = join(work, `${workload.id}.stats.json`);
  if (swap) {
    env.REALWORLD_SWAP = `${swap.sha256}=${swap.path}`;
    env.REALWORLD_STATS = stats;
    if (workload.malloc) env.REALWORLD_MALLOC = workload.malloc;
    if (workload.buffer) env.REALWORLD_BUFFER = workload.buffer;
    if (swap.report) env.REALWORLD_FRAMES = swap.report;
    if (swap.imports) env.REALWORLD_PAUSING = swap.imports.join(',');
    args.unshift('--import', join(SUITE, 'lib', 'pause-driver.mjs'));
  }
  rmSync(stats, { force: true });
  const output = execFileSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { output, stats: swap ? JSON.parse(readFileSync(stats, 'utf8')) : null };
}

// Ours runs with default options (every import may pause) and with the workload's import list
// (only those pause, and the driver pauses only there), and with -O3 where the workload asks;
// Binaryen's with default options. Ours writes its report, which tells the driver how big each
// frame can be.
const reportOf = (out) => `${out}.json`;
const oursCommand = (extra) => (input, out, list) =>
  [TOOL, [input, '-o', out, ...extra, '--report', reportOf(out), ...(list ? ['--imports', list.join(',')] : [])]];
const TRANSFORMS = [
  { name: 'wasm-asyncify', tag: 'ours', reportOf, command: oursCommand([]) },
  { name: 'wasm-asyncify -O3', tag: 'ours-O3', defaultOnly: true, speed: true, reportOf, command: oursCommand(['-O3']) },
  { name: 'Binaryen wasm-opt --asyncify', tag: 'binaryen', defaultOnly: true, binaryen: true, command: (input, out) => [WASM_OPT, ['--all-features', input, '--asyncify', '-o', out]] },
];

// The test of one workload, for node:test.
export function workloadTest(workload) {
  return async (t) => {
    const entry = manifest().get(workload.id);
    assert.ok(entry, `${workload.id} is not in the corpus manifest`);
    const pkgDir = packageDir(workload, entry);
    if (!pkgDir) {
      if (process.env.REALWORLD_REQUIRED) assert.fail(`${workload.id}: the package or its binary is not installed`);
      t.skip(`not installed (scripts/fetch-corpus.sh ${CORPUS}; npm ci --ignore-scripts in tests/realworld)`);
      return;
    }
    const input = join(CORPUS, `${workload.id}.wasm`);
    const expected = runWorkload(workload, pkgDir, null).output;
    assert.ok(expected.length > 100, `${workload.id}: the original printed too little: ${expected}`);
    const [list, listedPauses] = workload.listed;
    for (const transform of TRANSFORMS.filter((tr) => (!tr.binaryen || workload.binaryen !== false) && (!tr.speed || workload.speed))) {
      for (const imports of transform.defaultOnly ? [null] : [null, list]) {
        const name = imports ? `${transform.name}, import list ${imports.join(',')}` : transform.name;
        await t.test(name, () => {
          const out = join(work, `${workload.id}.${transform.tag}${imports ? '.listed' : ''}.wasm`);
          const [cmd, args] = transform.command(input, out, imports);
          execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
          assert.ok(WebAssembly.validate(readFileSync(out)), `V8 rejects ${out}`);
          execFileSync(TOOL, [out, '--validate-only'], { stdio: ['ignore', 'ignore', 'pipe'] });
          const report = transform.reportOf?.(out) ?? null;
          const { output, stats } = runWorkload(workload, pkgDir, { sha256: entry.sha256, path: out, imports, report });
          assert.equal(stats.swapped, 1, 'the transformed binary was not the one loaded');
          assert.equal(output, expected);
          const least = imports ? listedPauses : workload.pauses;
          assert.ok(stats.pauses >= least, `only ${stats.pauses} pauses (expected ${least} or more)`);
          t.diagnostic(`${workload.id}, ${name}: ${stats.pauses} pauses, up to ${stats.deepest} wasm frames deep, ` +
            `${stats.functions} functions on paused stacks` +
            (stats.tooBig ? `; ${stats.tooBig} import call(s) not paused, their frames too big for the buffer` : ''));
        });
      }
    }
  };
}
