;; A runtime written in the module itself: $yield suspends the computation through the
;; `asyncify.*` imports (a flag of its own tells it that a rewind is under way, as Binaryen has no
;; asyncify.get_state import), and the exported $run is
;; the scheduler that stops each unwind and rewinds straight away.
(module
  (import "asyncify" "start_unwind" (func $start_unwind (param i32)))
  (import "asyncify" "stop_unwind" (func $stop_unwind))
  (import "asyncify" "start_rewind" (func $start_rewind (param i32)))
  (import "asyncify" "stop_rewind" (func $stop_rewind))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (global $yields (mut i32) (i32.const 0))
  ;; Set by the scheduler before it rewinds.
  (global $resuming (mut i32) (i32.const 0))

  ;; Top-most runtime: suspend, unless this call is the end of a rewind.
  (func $yield
    (if (global.get $resuming)
      (then (global.set $resuming (i32.const 0)) (call $stop_rewind) (return)))
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
      ;; Unwound when frames were saved: `current` moved past the start of the buffer.
      (if (i32.gt_u (i32.load (i32.const 16)) (i32.const 24))
        (then
          (call $stop_unwind)
          (global.set $resuming (i32.const 1))
          (global.set $yields (i32.add (global.get $yields) (i32.const 1)))
          (call $start_rewind (i32.const 16))
          (br $again))))
    (local.get $result))

  (func (export "yields") (result i32) (global.get $yields)))
