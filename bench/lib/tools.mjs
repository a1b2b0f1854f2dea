// The transformers under comparison, each described once: how to run its transform, its
// binary round trip, and how to name its version. Our tool is found at $OURS or
// build/wasm-asyncify; when it is absent only the peers are measured.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export const WASM_OPT = process.env.WASM_OPT ?? 'wasm-opt';
// Binaryen assumes the MVP unless told otherwise, and the corpus uses bulk memory, SIMD,
// exceptions...; both tools must accept every input, so Binaryen gets every feature enabled.
// Ours reads every feature anyway and takes the same flags as wasm-opt users pass them: what
// the output may use (for it, multi-value frame restores). Both run on the same command line.
const FEATURES = ['--all-features'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function versionOf(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0];
  } catch {
    return null;
  }
}

export function findOurs(root) {
  const path = process.env.OURS ?? join(root, 'build', 'wasm-asyncify');
  if (!executable(path)) return { path, present: false };
  return { path, present: true, version: versionOf(path, ['--version']) ?? 'unknown version' };
}

export function binaryenVersion() {
  return versionOf(WASM_OPT, ['--version']);
}

// A transformer configuration: { id, label, command(in, out, imports|null) -> [cmd, args] },
// optionally `sections`, the only bench sections that measure it (see measuredIn).
export function transformers(ours) {
  const list = [];
  if (ours.present) {
    const oursCommand = (extra) => (input, output, imports) => [ours.path,
      [...FEATURES, input, '-o', output, ...extra, ...(imports ? ['--imports', imports.join(',')] : [])]];
    list.push({ id: 'ours', label: 'wasm-asyncify', tool: 'ours', command: oursCommand([]) });
    // The smallest-output setting, for the size tables only (speed is measured at the default),
    // and the fastest-pause one (-O3: inline frames in recursive functions), for the size tables
    // and the pause costs, to show what its speed costs in bytes.
    list.push({ id: 'ours-Os', label: 'wasm-asyncify -Os', tool: 'ours', sections: ['size'], command: oursCommand(['-Os']) });
    list.push({ id: 'ours-O3', label: 'wasm-asyncify -O3', tool: 'ours', sections: ['size', 'pause'], command: oursCommand(['-O3']) });
  }
  list.push({
    id: 'binaryen-O2',
    label: 'wasm-opt -O2 --asyncify',
    tool: 'binaryen',
    command: (input, output, imports) => [WASM_OPT, [...FEATURES, input, '-O2', '--asyncify',
      ...(imports ? [`--pass-arg=asyncify-imports@${imports.join(',')}`] : []), '-o', output]],
  });
  list.push({
    id: 'binaryen-O0',
    label: 'wasm-opt --asyncify (-O0)',
    tool: 'binaryen',
    reference: true,
    command: (input, output, imports) => [WASM_OPT, [...FEATURES, input, '--asyncify',
      ...(imports ? [`--pass-arg=asyncify-imports@${imports.join(',')}`] : []), '-o', output]],
  });
  return list;
}

export const measuredIn = (tool, section) => !tool.sections || tool.sections.includes(section);

// Read, validate and write back without transforming.
export function roundTrippers(ours) {
  const list = [];
  if (ours.present) {
    list.push({ id: 'ours', label: 'wasm-asyncify --roundtrip',
      command: (input, output) => [ours.path, [input, '-o', output, '--roundtrip']] });
  }
  list.push({ id: 'binaryen', label: 'wasm-opt (no passes)',
    command: (input, output) => [WASM_OPT, [...FEATURES, input, '-o', output]] });
  return list;
}

// The import list used for "with an import list" runs: the module's WASI read/write imports if it
// has them, else its first function import (one async entry point, the common real case).
export function chooseImportList(bytes) {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes))
    .filter((i) => i.kind === 'function')
    .map((i) => `${i.module}.${i.name}`);
  const io = imports.filter((n) => /^wasi_snapshot_preview1\.fd_(read|write)$/.test(n));
  if (io.length) return io;
  return imports.length ? [imports[0]] : null;
}
