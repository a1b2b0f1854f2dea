#!/usr/bin/env node
// Builds every fixture in test/fixtures into build/fixtures/<variant>/NAME.wasm and writes
// build/fixtures/manifest.json, which the Node and browser tests read.
//   plain/          untransformed (JSPI and sync backends)
//   binaryen/       wasm-opt -O2 --asyncify
//   wasm-asyncify/  the project's tool, when built (or named by ASYNCIFY_TOOL)
//   prebuilt/       fixtures instrumented by hand ("prebuilt:" header)
// Fixture headers: "asyncify-imports: a.b,c.d", "features: --enable-x" (wat2wasm and
// wasm-opt), "wasm-opt-features: ..." (wasm-opt only), "link-flags: ..." (C),
// "tool-args: ..." (extra transform arguments, in wasm-opt's --pass-arg spelling),
// "binaryen-unsupported: reason" (Binaryen 108 cannot transform it), "prebuilt: ...".
// A transform that fails is recorded in the manifest; the tests of that variant then fail.

import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  asyncify, compileC, fixtureHeader, packageRoot, transformers, watToWasm,
} from './toolchain.mjs';

const fixtures = resolve(packageRoot, 'test/fixtures');
const out = resolve(packageRoot, 'build/fixtures');
const tools = transformers();
const manifest = { tools: tools.map((t) => t.name), fixtures: {} };
const failures = [];

for (const file of readdirSync(fixtures).sort()) {
  if (!/\.(wat|c)$/.test(file)) continue;
  const name = basename(file).replace(/\.(wat|c)$/, '');
  const source = join(fixtures, file);
  const header = fixtureHeader(source);
  const features = header.features ? header.features.split(/\s+/) : [];
  const entry = (manifest.fixtures[name] = { variants: {} });
  const plain = join(out, 'plain', `${name}.wasm`);
  if (file.endsWith('.wat')) watToWasm(source, plain, features);
  else compileC(source, plain, { reactor: true, linkFlags: (header['link-flags'] ?? '').split(/\s+/).filter(Boolean) });
  if (header.prebuilt !== undefined) {
    entry.variants.prebuilt = `plain/${name}.wasm`;
    continue;
  }
  entry.variants.plain = `plain/${name}.wasm`;
  const imports = (header['asyncify-imports'] ?? '').split(',').filter(Boolean);
  for (const tool of tools) {
    if (tool.name === 'binaryen' && header['binaryen-unsupported']) {
      entry.variants.binaryen = { skipped: header['binaryen-unsupported'] };
      continue;
    }
    const output = join(out, tool.name, `${name}.wasm`);
    const optFeatures = (header['wasm-opt-features'] ?? '').split(/\s+/).filter(Boolean);
    const toolArgs = (header['tool-args'] ?? '').split(/\s+/).filter(Boolean);
    try {
      asyncify(tool, plain, output, imports, ['--enable-mutable-globals', ...features, ...optFeatures], toolArgs);
      entry.variants[tool.name] = `${tool.name}/${name}.wasm`;
    } catch (error) {
      // Recorded, not fatal: the other variants still build, and every test of this one fails.
      entry.variants[tool.name] = { failed: error.message };
      failures.push(`${name} (${tool.name}): ${error.message}`);
    }
  }
  console.log(`${name}: ${Object.keys(entry.variants).join(', ')}`);
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`transformers: ${manifest.tools.join(', ')}`);
for (const failure of failures) console.error(`transform failed: ${failure}`);
