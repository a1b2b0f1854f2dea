// @swc/wasm (Rust, wasm-bindgen): TypeScript with JSX, decorators and async code compiled down
// to ES5 and ES2017 (with source maps), minified, and parsed to an AST that is printed back.
import { createRequire } from 'node:module';
import { digest, numbers, report } from './common.mjs';

const swc = createRequire(import.meta.url)(`${process.argv[2]}/wasm.js`);
const next = numbers(5);
const members = Array.from({ length: 40 }, (_, k) => [
  `  @logged field${k}: number = ${next() % 1000};`,
  `  async method${k}(items: Array<Item<number>>, bias = ${k}): Promise<number> {`,
  `    const [first, ...rest] = items.filter(({ value }) => value > bias);`,
  `    for (const { value } of rest) await Promise.resolve(value ** 2 % ${(next() % 97) + 3});`,
  `    return first?.value ?? this.field${k} ?? ${next()};`,
  '  }',
].join('\n'));
const program = (count) => [
  'type Item<T> = { value: T; label?: string };',
  'enum Mode { Fast = 1, Slow = Fast << 2 }',
  'function logged(target: unknown, key: string) { /* decorator */ }',
  'export class Worker {',
  ...members.slice(0, count),
  '}',
  'export const View = ({ items }: { items: Item<string>[] }) => (',
  '  <ul className="list">{items.map((i) => <li key={i.value}>{i.label ?? `#${i.value}`}</li>)}</ul>',
  ');',
  'export default function* counter(limit: number) { for (let i = 0; i < limit; i++) yield { i, mode: Mode.Slow }; }',
].join('\n');
const source = program(members.length);

const results = {};
for (const target of ['es5', 'es2017']) {
  const out = swc.transformSync(source, {
    filename: 'input.tsx',
    sourceMaps: true,
    jsc: {
      target,
      parser: { syntax: 'typescript', tsx: true, decorators: true },
      transform: { legacyDecorator: true, react: { pragma: 'h' } },
    },
  });
  results[target] = { bytes: out.code.length, code: digest(out.code), map: digest(out.map) };
}
const minified = swc.minifySync(swc.transformSync(source, {
  filename: 'input.tsx',
  jsc: { target: 'es2019', parser: { syntax: 'typescript', tsx: true, decorators: true } },
}).code, { module: true, compress: { passes: 2 }, mangle: true });
results.minified = { bytes: minified.code.length, code: digest(minified.code) };
// The AST crosses into JavaScript object by object (an import call per field): a smaller program.
const ast = swc.parseSync(program(2), { syntax: 'typescript', tsx: true, decorators: true });
results.ast = { items: ast.body.length, kinds: ast.body.map((n) => n.type) };
results.printed = digest(swc.printSync(ast, {}).code);
report(results);
