;; Values below a pausing call that are pure arithmetic on locals and constants (an address
;; `p + i * 4`) are not spilled: their code moves down to where the call's operands are rebuilt
;; on rewind, and computes the same value there. Not when a local it reads is written before the
;; call, nor when it reads a mutable global, which the paused callee may change. Reads of locals
;; below a construct holding call sites move past it too, unless the construct writes them.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 5))

  (func $bump_then_next (param $x i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1000)))
    (call $next (local.get $x)))

  (func (export "store_at") (param $p i32) (param $i i32) (result i32)
    (i32.store
      (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
      (call $next (local.get $i)))
    (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))

  (func (export "written_before_the_call") (param $i i32) (result i32)
    (i32.add
      (i32.mul (local.get $i) (i32.const 3))
      (block (result i32)
        (local.set $i (i32.add (local.get $i) (i32.const 10)))
        (call $next (local.get $i)))))

  (func (export "mutable_global") (param $i i32) (result i32)
    (i32.sub
      (i32.add (global.get $g) (local.get $i))
      (call $bump_then_next (local.get $i))))

  (func (export "in_a_loop") (param $n i32) (result i32)
    (local $k i32) (local $acc i32)
    (loop $again
      (local.set $acc
        (i32.xor
          (i32.add (i32.mul (local.get $k) (local.get $k)) (local.get $acc))
          (call $next (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $k) (local.get $n))))
    (local.get $acc))

  (func $weigh (param $x i32) (param $y i32) (param $z i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get $x) (i32.const 1000)) (i32.mul (local.get $y) (i32.const 100)))
      (call $next (local.get $z))))

  ;; weigh(a, b, block { b = next(b); b + next(a) }): the call's landing is after the block;
  ;; $a is read again there, $b (written in the block) keeps its value from before
  (func (export "below_a_block") (param $a i32) (param $b i32) (result i32)
    (call $weigh
      (local.get $a)
      (local.get $b)
      (block (result i32)
        (local.set $b (call $next (local.get $b)))
        (i32.add (local.get $b) (call $next (local.get $a))))))
)
