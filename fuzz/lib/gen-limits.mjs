// Writes the stress modules of fuzz/limits.sh into DIR, encoded directly (no text-format
// tools, whose own parsers recurse): a function nested N blocks deep, a function with N locals,
// a module with N functions, a function nested N constructs deep with a pausing call on every
// level, each reaching an import that may pause; a function whose instrumentation would grow
// with a product of its dimensions (N values on the operand stack below N calls), which must be
// refused cleanly; and 3,000 locals live across 3,000 calls, which must not be.
//   node gen-limits.mjs DIR [N] [LOCALS]   (LOCALS defaults to N)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, nArg, localsArg] = process.argv.slice(2);
const N = Number(nArg ?? 100000);
const LOCALS = Number(localsArg ?? N);

function uleb(n) {
  const out = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f; n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}
const str = (s) => [...uleb(s.length), ...Buffer.from(s)];
function section(id, body) { return [id, ...uleb(body.length), ...body]; }
function vec(items) { return [...uleb(items.length), ...items.flat()]; }

// Builds a module: one type per signature, import env.sleep: [] -> [], memory exported.
function module({ funcTypes, bodies, exports }) {
  const types = [[0x60, 0, 0], [0x60, 0, 1, 0x7f]];  // 0: [] -> [], 1: [] -> [i32]
  const parts = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const push = (bytes) => { for (let i = 0; i < bytes.length; i += 65536) parts.push(...bytes.slice(i, i + 65536)); };
  push(section(1, vec(types)));
  push(section(2, vec([[...str('env'), ...str('sleep'), 0, 0]])));
  push(section(3, [...uleb(funcTypes.length), ...funcTypes.flatMap((t) => uleb(t))]));
  push(section(5, vec([[0, 1]])));
  push(section(7, vec([...exports, [...str('memory'), 2, 0]])));
  const code = [...uleb(bodies.length)];
  for (const body of bodies) { code.push(...uleb(body.length)); for (let i = 0; i < body.length; i += 65536) code.push(...body.slice(i, i + 65536)); }
  push(section(10, code));
  return Buffer.from(parts);
}

// A body whose control nesting is N deep: block/loop/if alternate, the import is called at
// the bottom with a live value on every level's stack so that it must be saved.
function deepBody() {
  const b = [0];  // no locals
  for (let i = 0; i < N; i++) {
    if (i % 3 === 0) b.push(0x02, 0x40);            // block
    else if (i % 3 === 1) b.push(0x03, 0x40);       // loop
    else b.push(0x41, 1, 0x04, 0x40);               // i32.const 1; if
  }
  b.push(0x10, 0);                                  // call $sleep
  for (let i = 0; i < N; i++) b.push(0x0b);
  b.push(0x41, 42, 0x0b);                           // i32.const 42; end
  return b;
}

// A body with N locals of four types, all live across the import call.
function localsBody() {
  const per = Math.floor(LOCALS / 4);
  const b = [...uleb(4), ...uleb(per), 0x7f, ...uleb(per), 0x7e, ...uleb(per), 0x7d, ...uleb(per), 0x7c];
  for (let i = 0; i < per; i += 997) b.push(0x41, ...sleb(i), 0x21, ...uleb(i));  // set some i32s
  b.push(0x10, 0);
  b.push(0x41, 0);
  for (let i = 0; i < per; i += 997) b.push(0x20, ...uleb(i), 0x6a);  // sum them
  b.push(0x0b);
  return b;
}

// N functions in a call chain; the last calls the import, so all of them may pause.
function chainBodies() {
  const bodies = [];
  for (let i = 0; i < N; i++) {
    const callee = i === N - 1 ? 0 : i + 2;  // function index: import is 0, function i is i+1
    const combine = i === N - 1 ? [] : [0x6a];  // the import returns nothing; others add
    bodies.push([0, 0x10, ...uleb(callee), 0x41, ...sleb(i & 0x3f), ...combine, 0x0b]);
  }
  return bodies;
}

// N nested constructs (block, loop, if, try with a catch_all), each calling the import first;
// a local counts the calls and is returned: live across every call, on every level.
function callsAtEveryLevelBody() {
  const b = [1, 1, 0x7f];  // one i32 local
  const count = [0x20, 0, 0x41, 1, 0x6a, 0x21, 0];  // local 0 += 1
  for (let i = 0; i < N; i++) {
    if (i % 4 === 0) b.push(0x02, 0x40);
    else if (i % 4 === 1) b.push(0x03, 0x40);
    else if (i % 4 === 2) b.push(0x41, 1, 0x04, 0x40);
    else b.push(0x06, 0x40);  // try
    b.push(0x10, 0, ...count);
  }
  for (let i = N; i-- > 0;) {
    if (i % 4 === 3) b.push(0x19);  // catch_all
    b.push(0x0b);
  }
  b.push(0x20, 0, 0x0b);
  return b;
}

// N constants on the operand stack, then N calls of the import above them all.
function deepStackBody() {
  const b = [0];
  for (let i = 0; i < N; i++) b.push(0x41, 1);
  for (let i = 0; i < N; i++) b.push(0x10, 0);
  for (let i = 1; i < N; i++) b.push(0x6a);
  b.push(0x0b);
  return b;
}

// 3,000 locals set, 3,000 calls of the import, then the locals summed: all live at every call.
function liveAcrossCallsBody() {
  const L = 3000;
  const b = [1, ...uleb(L), 0x7f];
  for (let i = 0; i < L; i++) b.push(0x41, ...sleb(i & 0x3f), 0x21, ...uleb(i));
  for (let i = 0; i < L; i++) b.push(0x10, 0);
  b.push(0x41, 0);
  for (let i = 0; i < L; i++) b.push(0x20, ...uleb(i), 0x6a);
  b.push(0x0b);
  return b;
}

writeFileSync(join(dir, 'calls-at-every-level.wasm'),
  module({ funcTypes: [1], bodies: [callsAtEveryLevelBody()], exports: [[...str('run'), 0, 1]] }));
writeFileSync(join(dir, 'deep-operand-stack.wasm'),
  module({ funcTypes: [1], bodies: [deepStackBody()], exports: [[...str('run'), 0, 1]] }));
writeFileSync(join(dir, 'live-across-calls.wasm'),
  module({ funcTypes: [1], bodies: [liveAcrossCallsBody()], exports: [[...str('run'), 0, 1]] }));
writeFileSync(join(dir, 'deep-nesting.wasm'),
  module({ funcTypes: [1], bodies: [deepBody()], exports: [[...str('run'), 0, 1]] }));
writeFileSync(join(dir, 'many-locals.wasm'),
  module({ funcTypes: [1], bodies: [localsBody()], exports: [[...str('run'), 0, 1]] }));
writeFileSync(join(dir, 'many-functions.wasm'),
  module({ funcTypes: new Array(N).fill(1), bodies: chainBodies(),
    exports: [[...str('run'), 0, 1]] }));
