;; A runtime written in the module itself: $yield suspends the computation through the
;; `asyncify.*` imports (it reads the state with asyncify.get_state), and the exported $run is
;; the scheduler that stops each unwind and rewinds straight away.
(module
  (import "asyncify" "start_unwind" (func $start_unwind (param i32)))
  (import "asyncify" "stop_unwind" (func $stop_unwind))
  (import "asyncify" "start_rewind" (func $start_rewind (param i32)))
  (import "asyncify" "stop_rewind" (func $stop_rewind))
  (import "asyncify" "get_state" (func $get_state (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (global $yields (mut i32) (i32.const 0))

  ;; Top-most runtime: suspend, unless this call is the end of a rewind.
  (func $yield
    (if (i32.eq (call $get_state) (i32.const 2))
      (then (call $stop_rewind) (return)))
    ;; Data structure at 16, buffer from 24 to 1024.
    (i32.store (i32.const 16) (i32.const 24))
    (i32.store (i32.const 20) (i32.const 1024))
    (call $start_unwind (i32.const 16)))

  (func $step (param $x i32) (result i32)
    (call $yield)
    (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1)))

  ;; The computation: yields in a loop and in a callee, with locals live across each yield.
  (func $work (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $again
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (call $yield)
      (local.set $acc (call $step (local.get $acc)))
      (call $print (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; Bottom-most runtime: runs $work to completion, resuming it after every yield.
  (func (export "run") (param $n i32) (result i32)
    (local $result i32)
    (loop $again
      (local.set $result (call $work (local.get $n)))
      (if (i32.eq (call $get_state) (i32.const 1))
        (then
          (call $stop_unwind)
          (global.set $yields (i32.add (global.get $yields) (i32.const 1)))
          (call $start_rewind (i32.const 16))
          (br $again))))
    (local.get $result))

  (func (export "yields") (result i32) (global.get $yields)))
