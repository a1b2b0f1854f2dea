// wabt (the WebAssembly Binary Toolkit, C++ compiled by Emscripten): a text module parsed,
// validated and encoded, the binary read back and printed as text, and a broken module whose
// errors must be reported the same way.
import { createRequire } from 'node:module';
import { digest, report } from './common.mjs';

const wabt = await createRequire(import.meta.url)(`${process.argv[2]}/index.js`)();
const text = `(module
  (memory (export "mem") 1)
  (global $counter (mut i32) (i32.const 0))
  (type $binary (func (param i32 i32) (result i32)))
  (table 2 funcref) (elem (i32.const 0) $add $mul)
  (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $binary) (i32.mul (local.get 0) (local.get 1)))
  (func $fold (export "fold") (param $n i32) (param $op i32) (result i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (call_indirect (type $binary) (local.get $acc) (local.get $n) (local.get $op)))
      (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "sum") (param i32) (result i64) (local $i i32) (local $s i64)
    (loop $l (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get 0))))
    (local.get $s)))`;
const results = {};
const parsed = wabt.parseWat('fold.wat', text, { multi_value: true });
parsed.resolveNames();
parsed.validate();
const binary = parsed.toBinary({ log: true, write_debug_names: true });
results.binary = digest(binary.buffer);
results.log = digest(binary.log);
const read = wabt.readWasm(binary.buffer, { readDebugNames: true });
read.applyNames();
results.text = read.toText({ foldExprs: true, inlineExport: true });
const { instance } = await WebAssembly.instantiate(binary.buffer);
results.run = [instance.exports.fold(10, 0), instance.exports.fold(10, 1)];
// Large enough that the heap grows while it is parsed: the pauses then happen inside malloc.
const many = Array.from({ length: 30000 }, (_, i) =>
  `(func $f${i} (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const ${i})) (i32.const ${i * 7})))`);
const large = wabt.parseWat('large.wat', `(module ${many.join('\n')})`);
large.resolveNames();
large.validate();
results.large = digest(large.toBinary({}).buffer);
try {
  wabt.parseWat('broken.wat', '(module (func (result i32) (i64.const 1)) (func $x (call $missing)))').resolveNames();
  results.broken = 'accepted';
} catch (e) {
  results.broken = String(e.message);
}
report(results);
