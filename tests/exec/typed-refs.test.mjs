// Typed function references across a pause: a non-nullable (ref $t) local and call_ref.
// wat2wasm 1.0.32 cannot assemble them (nor wasm-validate read them), so the modules are encoded
// here and only our validator checks them. Every Node can check that the transform accepts them
// and emits a valid module; running them needs a V8 that reads the standard encoding. Node 20's
// V8 (11.3) reads typed references only in a pre-standard encoding behind
// --experimental-wasm-typed-funcref, where 0x6b/0x6c mean (ref $t)/(ref null $t); in the
// standard one those bytes are other types, so no module is both, and the runs are skipped there.
// Chromium's V8 reads the standard encoding: the runs happen there in every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ASYNCIFY_TOOL, Workspace } from './lib/toolchain.mjs';
import { nextValue, runAsync, runSync } from './lib/three-ways.mjs';
import { runInChromium } from './lib/chromium.mjs';

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const name = (s) => [...leb(s.length), ...new TextEncoder().encode(s)];
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const body = (locals, code) => {
  const b = [...vec(locals), ...code, 0x0b];
  return [...leb(b.length), ...b];
};

const I32 = 0x7f;
const REF = 0x64; // (ref $t), standard encoding
const REF_NULL = 0x63; // (ref null $t)
const op = {
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, i32Mul: 0x6c, call: 0x10, callIndirect: 0x11,
  callRef: 0x14, refFunc: 0xd2, tableSet: 0x26,
};

// type 0 = $t (i32) -> i32; func 0 = env.next, 1 = $double, 2 = the export `f`:
//   ref_local: $r : (ref $t) = ref.func $double; v = next(x); table[0] = $r; call_indirect v
//   call_ref:  $r : (ref null $t) = ref.func $double; v = next(x); call_ref $t v $r
const BODIES = {
  ref_local: body([[1, REF, 0], [1, I32]], [
    op.refFunc, 1, op.localSet, 1, op.localGet, 0, op.call, 0, op.localSet, 2,
    op.i32Const, 0, op.localGet, 1, op.tableSet, 0, op.localGet, 2, op.i32Const, 0, op.callIndirect, 0, 0,
  ]),
  call_ref: body([[1, REF_NULL, 0], [1, I32]], [
    op.refFunc, 1, op.localSet, 1, op.localGet, 0, op.call, 0, op.localSet, 2,
    op.localGet, 2, op.localGet, 1, op.callRef, 0,
  ]),
};

function typedRefsModule(kind) {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 1, I32, 1, I32]])),
    ...section(2, vec([[...name('env'), ...name('next'), 0x00, 0]])),
    ...section(3, vec([[0], [0]])),
    ...section(4, vec([[0x70, 0x00, 1]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('f'), 0x00, 2]])),
    ...section(9, vec([[0x03, 0x00, ...vec([[1]])]])), // declares $double for ref.func
    ...section(10, vec([body([], [op.localGet, 0, op.i32Const, 2, op.i32Mul]), BODIES[kind]])),
  ]);
}

const ws = new Workspace('typed-refs');
const runnable = WebAssembly.validate(typedRefsModule('ref_local')) && WebAssembly.validate(typedRefsModule('call_ref'));
const skip = runnable
  ? false
  : "this Node's V8 does not read typed function references in the standard encoding (Node 20: pre-standard only, behind a flag)";

// Only our validator checks the output: wabt 1.0.32 cannot read typed references.
function transform(kind) {
  const input = ws.path(`${kind}.wasm`);
  writeFileSync(input, typedRefsModule(kind));
  const output = ws.path(`${kind}.ours.wasm`);
  for (const args of [[input, '--validate-only'], [input, '-o', output, '--imports', 'env.next'], [output, '--validate-only']]) {
    try {
      execFileSync(ASYNCIFY_TOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new Error(`wasm-asyncify ${args.join(' ')} failed:\n${error.stderr}`);
    }
  }
  return { input, output };
}

const TITLES = {
  ref_local: 'a non-nullable (ref $t) local across a pause',
  call_ref: 'call_ref through a (ref null $t) local across a pause',
};

const XS = [0, 7, -3];
const inChromium = await runInChromium(Object.keys(BODIES).map((kind) => {
  const { input, output } = transform(kind);
  return { title: kind, original: input, transformed: output, calls: XS.map((x) => ['f', x]) };
}));

for (const kind of Object.keys(BODIES)) {
  test(`${TITLES[kind]}: the transform accepts it and its output validates`, () => {
    transform(kind);
  });

  test(`${TITLES[kind]}: runs as the original does, in Chromium`, () => {
    const result = inChromium.find((r) => r.title === kind);
    if (result.error) assert.fail(result.error);
    assert.deepEqual(result.original, XS.map((x) => Math.imul(nextValue(x), 2)));
    assert.deepEqual(result.ours, result.original);
    assert.equal(result.unwinds, XS.length);
    assert.equal(result.memoryDiffersAt, -1);
  });

  test(`${TITLES[kind]}: runs as the original does, in Node`, { skip }, async () => {
    const { input, output } = transform(kind);
    const drive = async (call, io) => {
      for (const x of XS) io.out.push(await call('f', x));
    };
    const original = await runSync(input, { drive });
    assert.deepEqual(original.out, XS.map((x) => Math.imul(nextValue(x), 2)));
    const ours = await runAsync(output, { drive });
    assert.deepEqual(ours.out, original.out);
    assert.equal(ours.unwinds, XS.length);
  });
}
