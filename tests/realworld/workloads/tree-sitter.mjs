// web-tree-sitter (tree-sitter's runtime compiled by Emscripten as a main module that loads
// grammars as side modules): JavaScript source parsed with tree-sitter-javascript's grammar,
// edited and parsed again incrementally, then walked and queried.
import { readFileSync } from 'node:fs';
import { report } from './common.mjs';

const { Parser, Language, Query } = await import(`${process.argv[2]}/web-tree-sitter.js`);
await Parser.init();
const grammar = new URL('../node_modules/tree-sitter-javascript/tree-sitter-javascript.wasm', import.meta.url);
const JavaScript = await Language.load(readFileSync(grammar));
const parser = new Parser();
parser.setLanguage(JavaScript);
const source = readFileSync(new URL(import.meta.url), 'utf8') + readFileSync(new URL('./quickjs.mjs', import.meta.url), 'utf8');
const tree = parser.parse(source);
let nodes = 0;
let deepest = 0;
const cursor = tree.walk();
for (let depth = 0, done = false; !done; ) {
  nodes++;
  deepest = Math.max(deepest, depth);
  if (cursor.gotoFirstChild()) depth++;
  else {
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) { done = true; break; }
      depth--;
    }
  }
}
const query = new Query(JavaScript, '(call_expression function: (member_expression property: (property_identifier) @method)) (string) @string');
const captures = query.captures(tree.rootNode).map((c) => `${c.name}:${c.node.text}`);
const at = source.indexOf('let nodes');
const inserted = 'const added = [1, 2, 3].map((x) => x * 2);\n';
const edited = source.slice(0, at) + inserted + source.slice(at);
const row = source.slice(0, at).split('\n').length - 1;
tree.edit({
  startIndex: at, oldEndIndex: at, newEndIndex: at + inserted.length,
  startPosition: { row, column: 0 }, oldEndPosition: { row, column: 0 }, newEndPosition: { row: row + 1, column: 0 },
});
const again = parser.parse(edited, tree);
report({
  nodes, deepest, hasError: tree.rootNode.hasError,
  sexp: tree.rootNode.toString().length, captures: captures.length, sample: captures.slice(0, 30),
  changed: again.getChangedRanges(tree).map((r) => [r.startIndex, r.endIndex]),
  editedRoot: again.rootNode.toString().slice(0, 400),
});
