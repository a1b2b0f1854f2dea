;; A loop with a parameter: the accumulator travels on the operand stack through br, and a
;; pausing call sits inside the loop body with that value beneath it.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (memory (export "memory") 1)

  ;; A loop that carries its accumulator on the operand stack through br, pausing each turn.
  (func (export "stack_loop") (param i32) (result i32)
    (local $i i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (call $next (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))))
