// The memory that holds the unwind data, in a module with two: the one exported as "memory" by
// default, the one --memory names, or a memory of its own (--secondary-memory). The host puts
// the data structure in that memory; were the frames written to another, the program's data
// would differ from the original's (or the bounds check would trap). Run in Chromium: Node
// 20's V8 has no multi-memory.
import { runInChromium, testEachCase } from './lib/chromium.mjs';
import { Workspace } from './lib/toolchain.mjs';
import { nextValue } from './lib/three-ways.mjs';

const features = ['--enable-multi-memory'];
const ws = new Workspace('memories');
const wasm = ws.assemble('memories.wat', { features });
const variants = {
  'the memory exported as "memory" (the default)': { args: [], host: {} },
  'the memory named by --memory scratch': { args: ['--memory', 'scratch'], host: { memoryExport: 'scratch' } },
  // One page that cannot grow: the host keeps its data structure at its start.
  'a memory of its own (--secondary-memory)': {
    args: ['--secondary-memory'], host: { dataAddress: 0, bufferBytes: 60 * 1024 },
  },
};

// What run(depth) prints and returns: the words of "memory", then the sum of "scratch"'s.
function expected(depth) {
  const here = [];
  const scratch = [];
  const descend = (d, acc) => {
    let h = nextValue((acc + d) | 0);
    here[d] = h;
    if (d > 0) h = (h + descend(d - 1, h)) | 0;
    scratch[d] = h;
    return h;
  };
  descend(depth, 1);
  return [...here.slice(0, depth + 1), scratch.slice(0, depth + 1).reduce((a, b) => (a + b) | 0, 0)];
}

const depths = [3, 0, 12];
const calls = depths.map((depth) => ['run', depth]);
const CASES = {};
const cases = [];
for (const [title, { args, host }] of Object.entries(variants)) {
  const { wasm: ours } = ws.ours(wasm, { imports: ['env.next'], args, suffix: args.join('') || 'default', validateFeatures: features });
  CASES[title] = { calls, expected: depths.flatMap(expected) };
  cases.push({ title, original: wasm, transformed: ours, calls, host });
}

testEachCase(await runInChromium(cases), CASES);
