// vscode-oniguruma (Oniguruma compiled by Emscripten, embind): the scanners a TextMate grammar
// runs, over source text with Unicode in it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { report } from './common.mjs';

const pkg = process.argv[2];
const onig = createRequire(import.meta.url)(`${pkg}/release/main.js`);
await onig.loadWASM(readFileSync(`${pkg}/release/onig.wasm`).buffer);
const source = readFileSync(new URL(import.meta.url)).toString().repeat(3) + '\nconst ünïcödé = "日本語 text 🎉";\n';
const scanners = [
  ['\\b(const|let|var|function|return|await|import|export)\\b', '"(?:[^"\\\\]|\\\\.)*"', "'(?:[^'\\\\]|\\\\.)*'"],
  ['(?<name>[A-Za-z_$][\\w$]*)\\s*\\(', '\\d+(?:\\.\\d+)?', '//.*$'],
  ['(?i)ONIG|SCANNER', '\\p{Han}+', '[\\x{1F300}-\\x{1FAFF}]', '(\\w)\\1'],
];
const results = [];
for (const patterns of scanners) {
  const scanner = new onig.OnigScanner(patterns);
  const text = new onig.OnigString(source);
  const found = [];
  for (let at = 0; at <= source.length; ) {
    const match = scanner.findNextMatchSync(text, at);
    if (!match) break;
    const [whole] = match.captureIndices;
    found.push([match.index, ...match.captureIndices.map((c) => [c.start, c.end])]);
    at = whole.end > at ? whole.end : at + 1;
  }
  text.dispose();
  scanner.dispose();
  results.push({ matches: found.length, found });
}
report(results);
