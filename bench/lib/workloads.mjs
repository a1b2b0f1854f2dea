// Builds the benchmark's own C programs (bench/workloads) for wasm32-wasi, caching the results
// by a hash of their sources and flags. Compiling and linking are separate steps on purpose:
// clang runs any wasm-opt on PATH when it links with -O, and the baseline must be clang's own
// output, untouched by Binaryen.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLANG = process.env.CLANG ?? 'clang';
const TARGET = ['--target=wasm32-wasi'];
const LINK = [...TARGET, '-mexec-model=reactor', '-Wl,--strip-debug', '-Wl,-z,stack-size=1048576'];

// CPU workloads for the normal-path measurement. `arg` is bench_run's argument (full, quick).
export const CPU_WORKLOADS = [
  { id: 'interp', file: 'interp.c', arg: 400_000, quickArg: 60_000, what: 'bytecode interpreter loop (switch dispatch)' },
  { id: 'fib', file: 'fib.c', arg: 32, quickArg: 27, what: 'recursive fib' },
  { id: 'fnptr', file: 'fnptr.c', arg: 2_000, quickArg: 300, what: 'indirect calls through a function table' },
  { id: 'matmul', file: 'matmul.c', arg: 60, quickArg: 10, what: '96x96 double matrix multiply' },
  { id: 'nbody', file: 'nbody.c', arg: 1_000_000, quickArg: 150_000, what: 'n-body style integration' },
];

export const SQLITE_DEFINES = [
  '-DSQLITE_OS_OTHER=1', '-DSQLITE_THREADSAFE=0', '-DSQLITE_OMIT_LOAD_EXTENSION', '-DSQLITE_OMIT_WAL',
  '-DSQLITE_TEMP_STORE=3', '-DSQLITE_DEFAULT_MEMSTATUS=0', '-DSQLITE_OMIT_DEPRECATED',
  '-DSQLITE_OMIT_SHARED_CACHE', '-DSQLITE_OMIT_LOCALTIME', '-DSQLITE_DQS=0',
  '-DSQLITE_OMIT_PROGRESS_CALLBACK',
];
// The amalgamation ships inside this npm tarball; it is extracted into the cache, never committed.
export const SQLITE_PACKAGE = 'better-sqlite3@12.11.1';

function hashOf(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : p).update('\0');
  return h.digest('hex').slice(0, 16);
}

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
}

// Compiles and links C sources into one module; returns its path.
function buildModule({ name, sources, includes = [], defines = [], buildDir }) {
  const flags = ['-O2', ...defines, ...includes.map((d) => `-I${d}`)];
  const key = hashOf([...sources.map((s) => readFileSync(s)), flags.join(' '), LINK.join(' ')]);
  const out = join(buildDir, `${name}-${key}.wasm`);
  if (existsSync(out)) return out;
  mkdirSync(buildDir, { recursive: true });
  const objects = sources.map((src, i) => {
    const obj = join(buildDir, `${name}-${key}-${i}.o`);
    run(CLANG, [...TARGET, ...flags, '-c', src, '-o', obj]);
    return obj;
  });
  run(CLANG, [...LINK, ...objects, '-o', `${out}.tmp`]);
  renameSync(`${out}.tmp`, out);
  return out;
}

export function buildCpuWorkload(root, cacheDir, workload) {
  const dir = join(root, 'bench', 'workloads');
  return buildModule({ name: workload.id, sources: [join(dir, workload.file)], buildDir: join(cacheDir, 'build') });
}

export function buildPauseWorkload(root, cacheDir) {
  const dir = join(root, 'bench', 'workloads');
  return buildModule({ name: 'pause', sources: [join(dir, 'pause.c')], buildDir: join(cacheDir, 'build') });
}

// Extracts deps/sqlite3 from the pinned npm tarball into the cache (once).
export function sqliteSources(cacheDir) {
  const dir = join(cacheDir, 'sqlite');
  const src = join(dir, 'package', 'deps', 'sqlite3');
  if (existsSync(join(src, 'sqlite3.c'))) return src;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '*\n');
  const tarball = execFileSync('npm', ['pack', SQLITE_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' })
    .trim().split('\n').at(-1);
  run('tar', ['-xzf', tarball, 'package/deps/sqlite3/sqlite3.c', 'package/deps/sqlite3/sqlite3.h'], { cwd: dir });
  return src;
}

export function buildSqlite(root, cacheDir) {
  const src = sqliteSources(cacheDir);
  const dir = join(root, 'bench', 'workloads', 'sqlite');
  return buildModule({
    name: 'sqlite',
    sources: [join(src, 'sqlite3.c'), join(dir, 'vfs.c'), join(dir, 'workload.c')],
    includes: [src],
    defines: SQLITE_DEFINES,
    buildDir: join(cacheDir, 'build'),
  });
}
