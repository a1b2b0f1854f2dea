// binaryen.js (Binaryen, C++ compiled by Emscripten): a text module parsed, validated, run at
// -O3 and through Binaryen's own asyncify pass, another built with the builder API and run
// through named passes and -O2; the emitted binaries are run (not the asyncified one: the
// pause driver would take any module exporting asyncify_get_state for the one it drives).
import { digest, report } from './common.mjs';

const { default: binaryen } = await import(`${process.argv[2]}/index.js`);
const text = `(module
  (import "env" "tick" (func $tick (param i32)))
  (memory (export "mem") 1)
  (type $binary (func (param i32 i32) (result i32)))
  (table 2 funcref) (elem (i32.const 0) $add $mul)
  (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $binary) (i32.mul (local.get 0) (local.get 1)))
  (func $fact (export "fact") (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (call $fact (i32.sub (local.get $n) (i32.const 1)))))))
  (func $fold (export "fold") (param $n i32) (param $op i32) (result i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (call $tick (local.get $n))
      (local.set $acc (call_indirect (type $binary) (local.get $acc) (local.get $n) (local.get $op)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "squares") (param $n i32) (result i64) (local $i i32) (local $s i64)
    (loop $fill
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (local.get $i)))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $s (i64.add (local.get $s) (i64.load32_u (i32.shl (local.get $i) (i32.const 2)))))
      (br_if $sum (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`;
const results = {};
const ticks = [];
const run = (binary) => {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { tick: (n) => ticks.push(n) } });
  return [exports.fact(10), exports.fold(12, 0), exports.fold(9, 1), String(exports.squares(1000))];
};
const emitted = (module) => ({
  valid: module.validate(), functions: module.getNumFunctions(), text: digest(module.emitText()), binary: digest(module.emitBinary()),
});

const parsed = binaryen.parseText(text);
results.parsed = emitted(parsed);
results.parsedRun = run(parsed.emitBinary());
binaryen.setOptimizeLevel(3);
binaryen.setShrinkLevel(0);
parsed.optimize();
results.o3 = emitted(parsed);
results.o3Run = run(parsed.emitBinary());
results.o3Text = parsed.emitText();
parsed.runPasses(['asyncify']);
results.asyncify = emitted(parsed);
parsed.dispose();

// Built with the builder: gcd (recursive), collatz steps (loop, if), a small function to inline
// and a caller of them, with constants to fold and a nop to remove.
const built = new binaryen.Module();
const { i32 } = binaryen;
const get = (i) => built.local.get(i, i32);
const ii = binaryen.createType([i32, i32]);
built.addFunction('gcd', ii, i32, [], built.if(built.i32.eqz(get(1)), get(0),
  built.call('gcd', [get(1), built.i32.rem_u(get(0), get(1))], i32)));
built.addFunction('collatz', i32, i32, [i32], built.block(null, [
  built.loop('next', built.if(built.i32.gt_u(get(0), built.i32.const(1)), built.block(null, [
    built.local.set(0, built.if(built.i32.and(get(0), built.i32.const(1)),
      built.i32.add(built.i32.mul(get(0), built.i32.const(3)), built.i32.const(1)),
      built.i32.shr_u(get(0), built.i32.const(1)))),
    built.local.set(1, built.i32.add(get(1), built.i32.const(1))),
    built.br('next'),
  ]))),
  get(1),
], i32));
built.addFunction('twice', i32, i32, [], built.i32.shl(get(0), built.i32.const(1)));
built.addFunction('both', ii, i32, [], built.block(null, [
  built.drop(built.i32.const(7)),
  built.nop(),
  built.i32.add(built.call('gcd', [get(0), get(1)], i32), built.call('twice', [built.i32.add(
    built.call('collatz', [built.i32.const(27)], i32), built.i32.mul(built.i32.const(6), built.i32.const(7)))], i32)),
], i32));
built.addFunctionExport('both', 'both');
built.addFunctionExport('collatz', 'collatz');
results.built = emitted(built);
built.runPasses(['inlining', 'precompute', 'vacuum']);
results.passes = emitted(built);
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(1);
built.optimize();
results.o2 = emitted(built);
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(built.emitBinary()), {});
results.builtRun = [exports.both(1071, 462), exports.collatz(97), exports.collatz(871)];
built.dispose();
results.ticks = ticks.length;
report(results);
