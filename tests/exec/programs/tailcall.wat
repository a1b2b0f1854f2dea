;; Tail calls (return_call, return_call_indirect) to functions that pause.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "get_answer" (func $answer (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (type $step (func (param i32 i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (table 6 funcref)
  ;; Slot 4 is the pausing import itself.
  (elem (i32.const 0) $even $odd $unary_pause $unary_plain $next $unary_hop)

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

  ;; The same after a pausing call, with dead code after the tail call (its `unreachable` must
  ;; not make the call's result give way to anything the instrumentation left on the stack).
  (func (export "tail_then_unreachable") (param $x i32) (result i32)
    (call $print (call $next (local.get $x)))
    (return_call $next (i32.add (local.get $x) (i32.const 1)))
    (unreachable))

  ;; return_call_indirect chosen at run time, the table slot selected by a pausing call.
  (func (export "tail_indirect") (param $n i32) (result i32)
    (return_call_indirect (type $step)
      (local.get $n)
      (call $next (local.get $n))
      (i32.and (call $next (local.get $n)) (i32.const 1))))

  ;; Both a normal pausing call (odd n: this frame stays below its callee) and a pausing
  ;; return_call (even n: this frame is replaced), so on rewind a frame must tell its own saved
  ;; state from that of a tail callee that replaced it.
  (func $mixed (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.add (local.get $acc) (call $answer)))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (return
          (i32.sub
            (call $mixed (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (local.get $n)))
            (call $next (local.get $n))))))
    (local.set $acc (i32.xor (local.get $acc) (call $next (local.get $n))))
    (return_call $mixed (i32.sub (local.get $n) (i32.const 1)) (local.get $acc)))

  (func (export "mixed") (param $n i32) (result i32)
    (return_call $mixed (local.get $n) (i32.const 0)))

  ;; a -return_call-> b -return_call-> c, and only c pauses; a and b print once each, which a
  ;; rewind must not repeat.
  (func $chain_a (param $x i32) (result i32)
    (call $print (local.get $x))
    (return_call $chain_b (i32.add (local.get $x) (i32.const 1)) (i32.mul (local.get $x) (i32.const 2))))

  (func $chain_b (param $x i32) (param $y i32) (result i32)
    (call $print (local.get $y))
    (return_call $chain_c (i32.add (local.get $x) (local.get $y))))

  (func $chain_c (param $z i32) (result i32)
    (i32.add (call $next (local.get $z)) (call $next (i32.add (local.get $z) (i32.const 1)))))

  (func (export "chain") (param $x i32) (result i32)
    (i32.add (i32.const 1000) (call $chain_a (local.get $x))))

  ;; Targets of return_call_indirect (type $unary): one pauses, one does not, one tail-calls on
  ;; through the table again; slot 4 holds the import.
  (func $unary_pause (type $unary)
    (i32.mul (call $next (local.get 0)) (i32.const 2)))

  (func $unary_plain (type $unary)
    (i32.add (local.get 0) (i32.const 5)))

  (func $unary_hop (type $unary)
    (return_call_indirect (type $unary) (i32.add (local.get 0) (i32.const 1)) (i32.const 2)))

  ;; A loop that opens the function (its rewind copy then sits in the rewind prologue), and a
  ;; pausing return_call after it: the prologue first hands a rewind over to the tail callee.
  (func (export "loop_then_tail") (param $n i32) (result i32)
    (local $acc i32)
    (loop $turn
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (local.set $acc (i32.add (local.get $acc) (call $next (local.get $n))))
      (br_if $turn (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (return_call $chain_c (i32.add (local.get $acc) (i32.load (i32.const 0)))))

  (func (export "tail_table") (param $slot i32) (param $x i32) (result i32)
    (call $print (local.get $slot))
    (return_call_indirect (type $unary) (call $next (local.get $x)) (local.get $slot))))
