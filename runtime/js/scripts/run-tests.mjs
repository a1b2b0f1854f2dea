#!/usr/bin/env node
// Runs every test/**/*.test.{js,mjs} file with node:test (Node 20's runner takes no globs and
// would treat every helper module under test/ as a test file).

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './toolchain.mjs';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : collect(path);
    return /\.test\.m?js$/.test(entry.name) ? [relative(packageRoot, path)] : [];
  });
}

// Engine features that Node 20 keeps behind flags; passed on when this Node accepts them, so the
// memory64 scenarios run here too (newer Node versions have them on and reject the flag).
const OPTIONAL_FLAGS = ['--experimental-wasm-memory64'];
const flags = OPTIONAL_FLAGS.filter((flag) => spawnSync(process.execPath, [flag, '-e', '0']).status === 0);

const files = collect(join(packageRoot, 'test')).sort();
const args = [...flags, '--test', ...process.argv.slice(2), ...files];
const result = spawnSync(process.execPath, args, { cwd: packageRoot, stdio: 'inherit' });
process.exit(result.status ?? 1);
