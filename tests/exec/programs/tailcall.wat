;; Tail calls (return_call, return_call_indirect) to functions that pause.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "get_answer" (func $answer (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (type $step (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $even $odd)

  (func $finish (param $acc i32) (result i32)
    (i32.add (local.get $acc) (call $answer)))

  ;; Mutual tail recursion; every 100th step pauses before tail-calling on.
  (func $even (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return_call $finish (local.get $acc))))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 100)))
      (then (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))))
    (return_call $odd (i32.sub (local.get $n) (i32.const 1)) (i32.xor (local.get $acc) (local.get $n))))

  (func $odd (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return_call $finish (local.get $acc))))
    ;; Through the table: the target is $even.
    (return_call_indirect (type $step)
      (i32.sub (local.get $n) (i32.const 1))
      (i32.add (local.get $acc) (i32.const 3))
      (i32.const 0)))

  (func (export "tail_steps") (param $n i32) (result i32)
    (call $print (i32.const -1))
    (return_call $even (local.get $n) (i32.const 0)))

  ;; A tail call whose callee pauses right away; the caller's own frame is gone by then.
  (func (export "tail_to_pausing") (param $x i32) (result i32)
    (call $print (local.get $x))
    (return_call $next (i32.mul (local.get $x) (i32.const 2))))

  ;; return_call_indirect chosen at run time, the table slot selected by a pausing call.
  (func (export "tail_indirect") (param $n i32) (result i32)
    (return_call_indirect (type $step)
      (local.get $n)
      (call $next (local.get $n))
      (i32.and (call $next (local.get $n)) (i32.const 1)))))
