;; Parameters a function never writes come back from its caller on rewind: the caller lands on
;; the call again and rebuilds the arguments, so the callee need not save them. Only where
;; every caller rebuilds the argument from what its own frame holds anyway (or from its own
;; given-back parameters), and never for exports, which the host re-enters with junk.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (import "env" "print_i64" (func $print64 (param i64)))
  (import "env" "print_f64" (func $printf64 (param f64)))
  (memory (export "memory") 1)
  (data (i32.const 64) "\05\00\00\00")
  (type $pair (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $by_table $counts_down)

  ;; Given back: all three, read again after the pause.
  (func $leaf (param $a i32) (param $b i64) (param $c f64) (result i32)
    (local $r i32)
    (local.set $r (call $next (local.get $a)))
    (call $print64 (local.get $b))
    (call $printf64 (local.get $c))
    (i32.add (local.get $r) (i32.add (local.get $a) (i32.trunc_f64_s (local.get $c)))))

  ;; Given back through two levels: $p is given back here, and $leaf gets its $a from it.
  (func $middle (param $p i32) (param $q i64) (result i32)
    (i32.add
      (call $leaf (local.get $p) (local.get $q) (f64.const 2.5))
      (i32.wrap_i64 (local.get $q))))

  ;; One caller passes a loaded value (not recomputable): $v must be saved by the callee.
  (func $shared (param $v i32) (param $w i64) (result i32)
    (i32.sub
      (call $next (i32.wrap_i64 (local.get $w)))
      (i32.add (local.get $v) (i32.wrap_i64 (local.get $w)))))

  ;; $a is given back, as $middle2 passes it from its own parameter; but $middle2's callers do
  ;; not both give $p back (one passes a global that $middle2 changes before the pause, so that
  ;; a rewind computes another value), so $middle2 keeps $p in its frame for $a's sake, though
  ;; $p is dead after the call.
  (global $g (mut i32) (i32.const 40))
  (func $leaf2 (param $a i32) (result i32)
    (i32.add (call $next (i32.const 1)) (local.get $a)))
  (func $middle2 (param $p i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 100)))
    (call $leaf2 (i32.mul (local.get $p) (i32.const 3))))

  ;; Written: $n counts down across pauses, saved by the callee.
  (func $counts_down (param $n i32) (param $acc i32) (result i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $acc))

  ;; In a private table: indirect call sites save their arguments, so both come back.
  (func $by_table (param $x i32) (param $y i32) (result i32)
    (i32.mul (call $next (local.get $x)) (local.get $y)))

  (func (export "direct") (param $x i32) (result i32)
    (local $big i64)
    (local.set $big (i64.extend_i32_s (i32.mul (local.get $x) (i32.const 1000))))
    (i32.add
      (call $middle (local.get $x) (local.get $big))
      (i32.add (local.get $x) (i32.wrap_i64 (local.get $big)))))

  (func (export "shared") (param $x i32) (result i32)
    (i32.add
      (call $shared (local.get $x) (i64.extend_i32_s (local.get $x)))
      (i32.add (local.get $x)
        (call $shared (i32.load (i32.const 64)) (i64.const -7)))))

  (func (export "chain") (param $x i32) (result i32)
    (i32.add
      (call $middle2 (local.get $x))
      (i32.add (local.get $x) (call $middle2 (global.get $g)))))

  (func (export "indirect") (param $x i32) (param $which i32) (result i32)
    (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (local.get $x)))
    (call_indirect (type $pair)
      (i32.add (local.get $x) (i32.const 1)) (i32.load (i32.const 64)) (local.get $which))))
