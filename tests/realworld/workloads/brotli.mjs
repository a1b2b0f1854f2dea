// brotli-wasm (Rust, wasm-bindgen): text, binary and repetitive inputs compressed at three
// qualities (each checked by decompressing it again), and text compressed as a stream.
import { createRequire } from 'node:module';
import { digest, numbers, report } from './common.mjs';

const brotli = createRequire(import.meta.url)(`${process.argv[2]}/index.node.js`);
const next = numbers(7);
const words = ['async', 'wasm', 'unwind', 'rewind', 'stack', 'frame', 'import', 'export', 'buffer'];
const text = Buffer.from(Array.from({ length: 20000 }, () => words[next() % words.length]).join(' '));
const noise = Buffer.from(Array.from({ length: 30000 }, () => next() & 255));
const runs = Buffer.alloc(50000, 'abcabcabd');
const results = {};
for (const [name, input] of Object.entries({ text, noise, runs })) {
  for (const quality of [1, 6, 11]) {
    const packed = brotli.compress(input, { quality });
    const back = Buffer.from(brotli.decompress(packed));
    results[`${name}-q${quality}`] = { bytes: packed.length, digest: digest(packed), roundTrip: back.equals(input) };
  }
}
const stream = new brotli.CompressStream(9);
const chunks = [];
for (let at = 0; at < text.length; at += 4096) {
  chunks.push(stream.compress(text.subarray(at, at + 4096), 1 << 16).buf);
}
chunks.push(stream.compress(undefined, 1 << 16).buf);
results.stream = digest(Buffer.concat(chunks.map((c) => Buffer.from(c))));
report(results);
