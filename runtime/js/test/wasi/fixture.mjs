// The directory tree every program starts from (browser-safe: no Node imports).
export const FIXTURE = {
  'hello.txt': 'Hello, world!\n',
  'numbers.txt': Array.from({ length: 100 }, (_, i) => `${i}\n`).join(''),
  sub: { 'nested.txt': 'nested file\n', deeper: { 'leaf.txt': 'leaf\n' } },
  empty: {},
};

/** Sorted keys, file bytes as base64 (so trees from disk, memory and OPFS compare equal). */
export function canonical(tree, { absoluteLink = 'escape-abs' } = {}) {
  const out = {};
  for (const name of Object.keys(tree).sort()) {
    const v = tree[name];
    if (v instanceof Uint8Array) out[name] = toBase64(v);
    else if (typeof v.symlink === 'string') out[name] = { symlink: name === absoluteLink ? '(absolute)' : v.symlink };
    else out[name] = canonical(v, { absoluteLink });
  }
  return out;
}

function toBase64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
