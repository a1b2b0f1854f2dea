;; Ifs on the way to pausing calls whose conditions are arithmetic on locals: on rewind the
;; condition is computed again from the restored locals instead of being saved as an arm
;; selector (see conditions.test.mjs). Every `next` call pauses.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  ;; A pause in either arm, in a loop, with a memory counter before the if: the code before the
  ;; condition must still be skipped on rewind.
  (func (export "arms") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $turn
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (if (i32.and (i32.add (local.get $i) (local.get $n)) (i32.const 1))
        (then (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i)))))
        (else (local.set $acc (i32.xor (local.get $acc) (call $next (i32.mul (local.get $i) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $turn (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (local.get $acc) (i32.load (i32.const 0))))
  ;; The locals the conditions read ($k, $big) are dead at the calls: they must still come back
  ;; with the frame, or the rewind takes another arm.
  (func (export "dead") (param $x i32) (result i32)
    (local $k i32) (local $big i64) (local $r i32)
    (local.set $k (i32.rem_u (local.get $x) (i32.const 3)))
    (local.set $big (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const 1000000007)))
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (local.get $x)))
    (if (i32.eq (local.get $k) (i32.const 1))
      (then (local.set $r (i32.mul (call $next (local.get $x)) (i32.const 5))))
      (else
        (if (i64.gt_u (i64.and (local.get $big) (i64.const 0xff00000000)) (i64.const 0x7f00000000))
          (then (local.set $r (i32.sub (call $next (i32.add (local.get $x) (i32.const 100))) (i32.const 7))))
          (else (local.set $r (i32.add (call $next (i32.sub (local.get $x) (i32.const 100))) (i32.const 9)))))))
    (i32.add (local.get $r) (i32.load (i32.const 4))))
  ;; Nested ifs at several depths, each with statements that must not run twice.
  (func (export "nested") (param $a i32) (param $b i32) (result i32)
    (local $s i32)
    (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
    (if (i32.gt_s (local.get $a) (local.get $b))
      (then
        (i32.store (i32.const 8) (i32.mul (i32.load (i32.const 8)) (i32.const 3)))
        (if (i32.eqz (i32.and (local.get $a) (i32.const 2)))
          (then (local.set $s (call $next (local.get $a))))
          (else
            (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 11)))
            (local.set $s (call $next (local.get $b)))))
        (local.set $s (i32.add (local.get $s) (call $next (i32.const 77)))))
      (else
        (if (i32.lt_u (i32.sub (local.get $b) (local.get $a)) (i32.const 4))
          (then (local.set $s (call $next (i32.const 5))))
          (else (local.set $s (i32.const 1))))))
    (i32.add (local.get $s) (i32.load (i32.const 8))))
;; Conditions read from memory (not computed again) of ifs whose sites are all in one arm: the
  ;; arm is implied while rewinding (the resume id is never zero; the else-arm's selector is a
  ;; local that is zero in a rewinding activation), nothing is stored for it.
  (func (export "one_arm") (param $x i32) (result i32)
    (local $r i32)
    (i32.store (i32.const 12) (local.get $x))
    (if (i32.gt_u (i32.load (i32.const 12)) (i32.const 3))
      (then (local.set $r (i32.const 5)))
      (else (local.set $r (call $next (local.get $x)))))
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (local.get $r)))
    (if (i32.lt_u (i32.load (i32.const 16)) (i32.const 100000))
      (then (local.set $r (i32.add (local.get $r) (call $next (i32.const 9)))))
      (else (local.set $r (i32.const 7))))
    (local.get $r))
  ;; The condition's local changes inside the if, but only after its last pause: the condition
  ;; is still computed again.
  (func (export "after") (param $i i32) (result i32)
    (local $acc i32)
    (loop $turn
      (if (i32.lt_s (local.get $i) (i32.const 40))
        (then
          (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 7)))
          (br $turn))))
    (i32.add (local.get $acc) (local.get $i)))
  ;; ... but not when a loop inside the if comes back to the pause after the write: at the third
  ;; pause $i is past 40, and the condition computed again would take the other arm.
  (func (export "looped") (param $i i32) (result i32)
    (local $acc i32) (local $k i32)
    (if (i32.lt_s (local.get $i) (i32.const 40))
      (then
        (loop $inner
          (local.set $acc (i32.add (local.get $acc) (call $next (local.get $k))))
          (local.set $i (i32.add (local.get $i) (i32.const 7)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $inner (i32.lt_s (local.get $k) (i32.const 3))))))
    (i32.add (local.get $acc) (local.get $i)))
  ;; The condition's local changes inside the if before the pause: computing the condition again
  ;; would take the other arm, so this one keeps its arm selector.
  (func (export "written") (param $i i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $i) (i32.const 5))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 10)))
        (i32.mul (call $next (local.get $i)) (local.get $i)))
      (else (i32.sub (call $next (local.get $i)) (local.get $i))))))
