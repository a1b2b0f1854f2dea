// esbuild-wasm (Go, GOOS=js): its command line, run in this process by the package's own
// bin/esbuild, bundles a generated TypeScript and JSX project (enums, classes, generics, JSON
// imports, dead code) into one minified ES module with a source map and a metafile. Go exits the
// process when it is done; the results are printed then.
import { createRequire } from 'node:module';
import fs, { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digest, numbers, report } from './common.mjs';

const pkg = process.argv[2];
// bin/esbuild replaces fs.writeSync on stdout by process.stdout.write, which for a file calls
// fs.writeSync again: the results go out through the original.
const writeSync = fs.writeSync;
const writeOut = (line) => writeSync(1, line);
const dir = mkdtempSync(join(tmpdir(), 'esbuild-workload-'));
const next = numbers(11);
const MODULES = 24;

// Its own package.json and tsconfig.json, so that esbuild need not look for them further up.
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'workload', private: true, sideEffects: false }));
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, jsx: 'react' } }));
mkdirSync(join(dir, 'src'));
for (let m = 0; m < MODULES; m++) {
  const uses = m > 0 ? [next() % m, next() % m].filter((u, k, all) => all.indexOf(u) === k) : [];
  const lines = uses.map((u) => `import { step${u}, Shape${u} } from './mod${u}';`);
  lines.push(
    `export enum Kind${m} { A = ${next() % 7}, B, C = A * 3 }`,
    `export class Shape${m}<T extends number> {`,
    `  constructor(private readonly size: T, public label = 'shape${m}') {}`,
    `  area(): number { return this.size * ${(next() % 90) + 10} + Kind${m}.C; }`,
    '}',
    `export function step${m}(x: number): number {`,
    `  let total: number = x ^ ${next()};`,
    ...uses.map((u) => `  total += step${u}(x + ${u}) % 1000 + new Shape${u}(${u + 1}).area();`),
    `  if (${m % 3 === 0 ? 'false' : 'x < 0'}) { console.log('never ${m}'); }`,
    '  return total | 0;',
    '}',
    `export const unused${m} = () => ${next()};`,
  );
  writeFileSync(join(dir, 'src', `mod${m}.ts`), `${lines.join('\n')}\n`);
}
writeFileSync(join(dir, 'src', 'data.json'), JSON.stringify({ seeds: Array.from({ length: 32 }, () => next()) }));
writeFileSync(join(dir, 'src', 'main.tsx'), [
  `import { step${MODULES - 1} } from './mod${MODULES - 1}';`,
  "import data from './data.json';",
  'const h = (tag: string, props: object | null, ...children: unknown[]) => ({ tag, props, children });',
  'export const view = (n: number) => <section id="out">{data.seeds.map((s) => <p key={s}>{step' + (MODULES - 1) + '(s + n)}</p>)}</section>;',
  'export default view;',
].join('\n'));

process.on('exit', (code) => {
  const out = join(dir, 'out');
  const read = (name) => readFileSync(join(out, name));
  try {
    const meta = JSON.parse(read('meta.json'));
    report({
      code,
      bundle: { bytes: read('bundle.js').length, digest: digest(read('bundle.js')) },
      sourceMap: digest(read('bundle.js.map')),
      inputs: Object.keys(meta.inputs).sort(),
      outputBytes: Object.values(meta.outputs).map((o) => o.bytes),
    }, writeOut);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

process.chdir(dir);
process.argv = [process.argv[0], join(pkg, 'bin', 'esbuild'), 'src/main.tsx', '--bundle', '--format=esm', '--minify',
  '--sourcemap', '--target=es2018', '--jsx-factory=h', '--outfile=out/bundle.js', '--metafile=out/meta.json',
  '--log-level=warning'];
createRequire(import.meta.url)(join(pkg, 'bin', 'esbuild'));
