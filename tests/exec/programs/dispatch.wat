;; Shapes of the rewind dispatch where one state test stands for two: a body wrapped in a block
;; (the rewind prologue's test is the block's dispatch), code before a block that holds the first
;; call sites (the block opens before that code and its dispatch tests for the later sites too),
;; two such levels, a loop taking the function's tests, guards in the block, and tests passing
;; through blocks that hold a single target to the dispatch inside them. A dispatch that
;; needs no state test at all (no loop around it: on the normal path the resume id is zero or an
;; earlier site's) must keep it after an if whose landing stores its condition where the resume
;; id is kept. Every function counts its entries in memory: code before a pause must not run
;; again on rewind.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)

  (func $count (param $slot i32)
    (i32.store (local.get $slot) (i32.add (i32.load (local.get $slot)) (i32.const 1))))

  ;; P; block (site; exit?; site); site
  (func (export "prefixed_block") (param $x i32) (result i32)
    (local $a i32) (local $b i32)
    (call $count (i32.const 0))
    (local.set $a (i32.mul (local.get $x) (i32.const 3)))
    (block $out
      (local.set $a (i32.add (local.get $a) (call $next (local.get $a))))
      (br_if $out (i32.eqz (i32.and (local.get $x) (i32.const 1))))
      (call $count (i32.const 4))
      (local.set $b (call $next (local.get $a))))
    (call $print (local.get $b))
    (i32.add (local.get $a) (call $next (i32.add (local.get $b) (i32.const 7)))))

  ;; block (site; site; exit?); site, without code before the block
  (func (export "bare_block") (param $x i32) (result i32)
    (local $a i32)
    (block $out
      (local.set $a (call $next (local.get $x)))
      (call $count (i32.const 8))
      (local.set $a (i32.xor (local.get $a) (call $next (local.get $a))))
      (br_if $out (i32.gt_s (local.get $x) (i32.const 10))))
    (i32.sub (call $next (local.get $a)) (local.get $x)))

  ;; P; block (P'; block (site; site); site); site
  (func (export "two_levels") (param $x i32) (result i32)
    (local $a i32)
    (call $count (i32.const 12))
    (block $outer
      (call $count (i32.const 16))
      (local.set $a (i32.add (local.get $x) (i32.const 100)))
      (block $inner
        (local.set $a (call $next (local.get $a)))
        (br_if $inner (i32.lt_s (local.get $x) (i32.const 0)))
        (local.set $a (i32.add (local.get $a) (call $next (local.get $x)))))
      (call $count (i32.const 20))
      (local.set $a (i32.mul (local.get $a) (call $next (i32.const 3)))))
    (call $count (i32.const 24))
    (i32.add (local.get $a) (call $next (local.get $a))))

  ;; loop (site; site; again?); site at the top of the body
  (func (export "loop_first") (param $n i32) (result i32)
    (local $acc i32)
    (loop $again
      (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))
      (call $count (i32.const 28))
      (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $acc))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
    (i32.add (local.get $acc) (call $next (i32.const 5))))

  ;; loop (site; site): no state test on each turn, the dispatch compares the id that the
  ;; prologue left in the rewinding flag, which the ABI functions clear: after a resume, later
  ;; turns must run from the top again
  (func (export "loop_flag") (param $n i32) (result i32)
    (local $acc i32)
    (loop $again
      (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))
      (call $count (i32.const 60))
      (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $acc))))
      (call $count (i32.const 64))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $acc))

  ;; P; block (guard; site; site); site: the guard runs ahead of the dispatch
  (func (export "guarded_block") (param $x i32) (result i32)
    (local $a i32)
    (call $count (i32.const 32))
    (local.set $a (local.get $x))
    (block $out
      (br_if $out (i32.eq (local.get $x) (i32.const 99)))
      (local.set $a (call $next (local.get $a)))
      (call $count (i32.const 36))
      (local.set $a (i32.add (local.get $a) (call $next (local.get $a)))))
    (i32.add (local.get $a) (call $next (i32.const 1))))

  ;; site; block (guard on k; block (site; site); k changes; site): the guard runs ahead of the
  ;; inner block's dispatch, which also takes the outer block's test for its last site, so on
  ;; rewind it must not see k as that site left it (5, which would leave the block)
  (func (export "guard_then_block") (param $x i32) (result i32)
    (local $a i32) (local $k i32)
    (local.set $k (call $next (local.get $x)))
    (call $count (i32.const 48))
    (block $out
      (br_if $out (i32.eq (local.get $k) (i32.const 5)))
      (block $inner
        (local.set $a (call $next (local.get $k)))
        (call $count (i32.const 52))
        (local.set $a (i32.add (local.get $a) (call $next (local.get $a)))))
      (local.set $k (i32.const 5))
      (call $count (i32.const 56))
      (local.set $a (i32.xor (local.get $a) (call $next (local.get $k)))))
    (i32.add (local.get $a) (local.get $k)))

  ;; An even argument comes back without a pause.
  (func $next_if_odd (param $x i32) (result i32)
    (if (result i32) (i32.and (local.get $x) (i32.const 1))
      (then (call $next (local.get $x)))
      (else (local.get $x))))

  ;; if (c) site; block (site; P; site): all the if's sites are in its then-arm, so its landing
  ;; stores the (loaded, not recomputable) condition in the resume id's local on the normal path
  (func (export "after_then_if") (param $x i32) (result i32)
    (local $a i32)
    (call $count (i32.const 40))
    (i32.store (i32.const 60) (local.get $x))
    (if (i32.load (i32.const 60))
      (then (local.set $a (call $next_if_odd (local.get $x)))))
    (call $print (local.get $a))
    (block $b
      (local.set $a (i32.add (local.get $a) (call $next (i32.const 1))))
      (call $count (i32.const 44))
      (local.set $a (i32.add (local.get $a) (call $next (local.get $a)))))
    (local.get $a))

  ;; loop (site; P; site; P; site; block (six sites)): the loop body's dispatch is a table whose
  ;; last target, the block, holds most of the ids; they are left to the table's default label
  (func (export "table_last_run") (param $n i32) (result i32)
    (local $a i32)
    (loop $again
      (local.set $a (i32.add (local.get $a) (call $next (local.get $n))))
      (call $count (i32.const 64))
      (local.set $a (i32.xor (local.get $a) (call $next (local.get $a))))
      (call $count (i32.const 64))
      (local.set $a (i32.add (local.get $a) (call $next (i32.const 2))))
      (block $b
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 3))))
        (br_if $b (i32.eq (local.get $a) (i32.const -1)))
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 4))))
        (call $count (i32.const 68))
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 5))))
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 6))))
        (call $count (i32.const 68))
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 7))))
        (local.set $a (i32.add (local.get $a) (call $next (i32.const 8)))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $a))

  ;; loop (P; if (six sites); site; P; site; P; site): the first target, the if, holds most of
  ;; the ids of the loop body's table; they are left to its default label
  (func (export "table_first_run") (param $n i32) (result i32)
    (local $a i32)
    (loop $again
      (call $count (i32.const 72))
      (if (i32.gt_s (local.get $n) (i32.const 1))
        (then
          (local.set $a (i32.add (local.get $a) (call $next (local.get $n))))
          (call $count (i32.const 76))
          (local.set $a (i32.add (local.get $a) (call $next (i32.const 11))))
          (local.set $a (i32.add (local.get $a) (call $next (i32.const 12))))
          (call $count (i32.const 76))
          (local.set $a (i32.add (local.get $a) (call $next (i32.const 13))))
          (local.set $a (i32.add (local.get $a) (call $next (i32.const 14))))
          (local.set $a (i32.add (local.get $a) (call $next (i32.const 15))))))
      (local.set $a (i32.xor (local.get $a) (call $next (local.get $a))))
      (call $count (i32.const 80))
      (local.set $a (i32.add (local.get $a) (call $next (i32.const 16))))
      (call $count (i32.const 80))
      (local.set $a (i32.add (local.get $a) (call $next (i32.const 17))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $a))

  ;; P; block (block (P; block (site; exit?; site))); site: the function's test for its last
  ;; site passes through two blocks that hold one target each (the second opens before its
  ;; prefix) and joins the innermost block's dispatch
  (func (export "pass_through") (param $x i32) (result i32)
    (local $a i32)
    (call $count (i32.const 84))
    (block $outer
      (block $mid
        (call $count (i32.const 88))
        (local.set $a (i32.add (local.get $x) (i32.const 5)))
        (block $inner
          (local.set $a (i32.add (local.get $a) (call $next (local.get $a))))
          (br_if $inner (i32.lt_s (local.get $x) (i32.const 0)))
          (local.set $a (i32.xor (local.get $a) (call $next (local.get $x)))))
        (call $count (i32.const 92))))
    (i32.add (local.get $a) (call $next (local.get $a))))
)
