;; Calls that never return normally (followed by `unreachable`, like Rust's panics and C's
;; assertion failures): a rewind calls the callee again from the prologue instead of finding its
;; way back to the call. The callees pause, maybe more than once, and then trap; one has
;; parameters of two types and ignores them on rewind, one has a result, one is an import. One
;; pauses and returns after all: the `unreachable` after its call must still trap.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "pause" (func $pause))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (type $takes_i32 (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $returns_after_pause)

  (func $fail (param $code i32) (param $extra i64)
    (call $print (call $next (local.get $code)))
    (call $print (i32.wrap_i64 (local.get $extra)))
    (drop (call $next (i32.const 1)))
    (unreachable))

  (func $fail_with_result (param $x f64) (result i32)
    (call $print (call $next (i32.trunc_f64_s (local.get $x))))
    (unreachable))

  (func $returns_after_pause (param $x i32)
    (call $print (call $next (local.get $x))))

  ;; Paths through pausing calls that return, the recalled ones inside ifs, a block and a loop.
  (func (export "check") (param $x i32) (result i32)
    (local $y i32)
    (local.set $y (call $next (local.get $x)))
    (if (i32.eq (local.get $x) (i32.const 1))
      (then (call $fail (local.get $y) (i64.const 7)) (unreachable)))
    (if (i32.eq (local.get $x) (i32.const 2))
      (then (call $fail_with_result (f64.const 9.5)) (unreachable)))
    (if (i32.eq (local.get $x) (i32.const 3))
      (then (call $pause) (unreachable)))
    (block $out
      (loop $again
        (br_if $out (i32.ge_u (local.get $y) (i32.const 1000000)))
        (local.set $y (i32.add (local.get $y) (call $next (local.get $y))))
        (if (i32.eq (local.get $x) (i32.const 4))
          (then (call $fail (i32.const 4) (i64.extend_i32_u (local.get $y))) (unreachable)))
        (br $again)))
    (if (i32.eq (local.get $x) (i32.const 5))
      (then (call $fail (local.get $x) (i64.const -1)) (unreachable)))
    (if (i32.eq (local.get $x) (i32.const 6))
      (then (call $returns_after_pause (local.get $y)) (unreachable)))
    ;; The same through the table: not recalled (an indirect call), but it leaves by a branch too.
    (if (i32.eq (local.get $x) (i32.const 7))
      (then (call_indirect (type $takes_i32) (local.get $y) (i32.const 0)) (unreachable)))
    (i32.add (local.get $y) (call $next (local.get $y))))
)
