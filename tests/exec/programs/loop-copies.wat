;; Small loops on a rewind path, each pausing from both of its copies (see loop-copies.test.mjs).
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  ;; Recursion in a loop (what clang makes of fib), with a counter in memory written before the
  ;; pausing calls: re-running the prefix on rewind would count twice.
  (func $fib (export "fib") (param $n i32) (result i32)
    (local $acc i32) (local $c i32)
    (loop $turn
      (i32.store (i32.const 0) (local.tee $c (i32.add (i32.load (i32.const 0)) (i32.const 1))))
      (block $rare
        (br_if $rare (i32.rem_u (local.get $c) (i32.const 7)))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $c)))))
      (block $leaf
        (br_if $leaf (i32.lt_s (local.get $n) (i32.const 2)))
        (local.set $acc (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 2)))
        (br $turn)))
    (i32.add (local.get $n) (local.get $acc)))
  ;; Operands below the calls that are not plain local reads: both copies must spill them into
  ;; the same locals, since a frame saved by one is restored by the other.
  (func (export "spills") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $turn
      (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (local.get $i)))
      ;; Every fifth turn makes no call.
      (br_if $turn
        (i32.eqz (i32.rem_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 5))))
      (local.set $acc
        (i32.add (i32.mul (local.get $i) (i32.load (i32.const 4)))
          (i32.xor (i32.load (i32.const 0)) (call $next (local.get $i)))))
      (local.set $acc
        (i32.sub (local.get $acc)
          (i32.add (i32.load (i32.const 4)) (call $next (local.get $acc)))))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; A loop that yields a value, and a pause in either arm of an if at the top of its body.
  (func (export "arms") (param $n i32) (result i32)
    (local $i i32) (local $r i32)
    (local.set $r
      (loop $turn (result i32)
        (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 3)))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (call $print (call $next (local.get $i))))
          (else
            ;; A turn with i a multiple of 6 makes no call.
            (if (i32.rem_u (local.get $i) (i32.const 6))
              (then (call $print (call $next (i32.mul (local.get $i) (i32.const 2))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $turn (i32.lt_u (local.get $i) (local.get $n)))
        (i32.load (i32.const 8))))
    (i32.add (i32.const 1000) (local.get $r)))
  ;; The loop opens the function: no code before it to skip, so the rewind prologue's own test
  ;; enters its copy.
  ;; A turn that finds n & 3 == 2 makes no call.
  (func (export "first") (param $n i32) (result i32)
    (loop $turn
      (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $turn (i32.eq (i32.and (local.get $n) (i32.const 3)) (i32.const 2)))
      (call $print (call $next (local.get $n)))
      (br_if $turn (local.get $n)))
    (i32.load (i32.const 12)))
  ;; An inner loop inside a copied one: after a rewind it keeps turning inside the copy.
  (func (export "nested") (param $n i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32) (local $acc i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        ;; A turn with i + j = 3 (mod 4) makes no call.
        (if (i32.ne (i32.and (i32.add (local.get $i) (local.get $j)) (i32.const 3)) (i32.const 3))
          (then
            (local.set $acc
              (i32.add (local.get $acc) (call $next (i32.add (local.get $i) (local.get $j)))))))
        (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $m))))
      (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  ;; br_table back to the loop, out of it, and on.
  (func (export "table") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $turn
        (i32.store (i32.const 20) (i32.add (i32.load (i32.const 20)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $odd
          (br_table $turn $odd $turn
            ;; A turn with i a multiple of 7 makes no call.
            (if (result i32) (i32.rem_u (local.get $i) (i32.const 7))
              (then (i32.rem_u (call $next (local.get $i)) (i32.const 3)))
              (else (i32.const 1)))))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br $turn)))
    (local.get $acc))
  ;; A loop that opens an if-arm after code (which the function's dispatch skips): the loop's
  ;; copy is entered by a test of its own, not the prologue's; the normal path must skip it.
  (func (export "in_arm") (param $n i32) (result i32)
    (i32.store (i32.const 24) (i32.add (i32.load (i32.const 24)) (i32.const 100)))
    (if (local.get $n)
      (then
        (loop $turn
          (i32.store (i32.const 28) (i32.add (i32.load (i32.const 28)) (i32.const 1)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $turn (i32.eq (i32.and (local.get $n) (i32.const 3)) (i32.const 2)))
          (call $print (call $next (local.get $n)))
          (br_if $turn (local.get $n)))))
    (i32.add (i32.load (i32.const 24)) (i32.load (i32.const 28))))
  ;; Every turn makes the pausable call before it can go round again: no copy, since the turn
  ;; pays for a call anyway and the copy would only save the state test beside it.
  (func (export "every_turn") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $turn
        (i32.store (i32.const 32) (i32.add (i32.load (i32.const 32)) (i32.const 1)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))
        (call $print (local.get $acc))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $turn (i32.and (local.get $n) (i32.const 1)))
        (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $acc))))
        (br $turn)))
    (i32.add (local.get $acc) (i32.load (i32.const 32)))))
