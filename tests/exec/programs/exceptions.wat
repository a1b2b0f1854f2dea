;; Legacy exception handling (try/catch/delegate/rethrow) around pausing calls.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "get_answer" (func $answer (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (tag $oops (param i32))
  (tag $other)

  ;; Pause inside the try body, then throw; the handler sees the value computed after the pause.
  (func (export "pause_then_throw") (param $x i32) (result i32)
    (try (result i32)
      (do
        (local.set $x (call $next (local.get $x)))
        (call $print (local.get $x))
        (if (i32.and (local.get $x) (i32.const 1)) (then (throw $oops (local.get $x))))
        (local.get $x))
      (catch $oops
        (i32.add (i32.const 100000)))))

  ;; The thrower pauses in a callee first; the throw crosses the instrumented caller.
  (func $pause_and_maybe_throw (param $x i32) (result i32)
    (local $v i32)
    (local.set $v (call $next (local.get $x)))
    (if (i32.gt_u (local.get $v) (i32.const 50)) (then (throw $oops (local.get $v))))
    (local.get $v))

  (func (export "throw_from_callee") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $again
      (local.set $sum
        (i32.add (local.get $sum)
          (try (result i32)
            (do (call $pause_and_maybe_throw (local.get $i)))
            (catch $oops (i32.sub (i32.const 0)))
            (catch_all (i32.const -1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))

  ;; A panic: pauses, then throws, never returns. Called in a try (then made again on rewind
  ;; from where it was, so that the handler catches it) and outside one, by the same function.
  (func $panic (param $x i32)
    (call $print (call $next (local.get $x)))
    (throw $oops (i32.add (local.get $x) (i32.const 7))))

  (func $panics_twice (param $x i32) (result i32)
    (local $caught i32)
    (local.set $x (call $next (local.get $x)))
    (local.set $caught
      (try (result i32)
        (do (call $panic (local.get $x)) (unreachable))
        (catch $oops)))
    (call $print (local.get $caught))
    (if (i32.and (local.get $x) (i32.const 1)) (then (call $panic (local.get $caught)) (unreachable)))
    (local.get $caught))

  (func (export "panic_in_try") (param $x i32) (result i32)
    (try (result i32)
      (do (call $panics_twice (local.get $x)))
      (catch $oops (i32.sub (i32.const 0)))))

  ;; Nested trys, the inner one delegating to the outer; pauses at both levels.
  (func (export "nested_try") (param $x i32) (result i32)
    (local $acc i32)
    (try (result i32)
      (do
        (local.set $acc (call $answer))
        (try
          (do
            (local.set $acc (i32.add (local.get $acc) (call $next (local.get $x))))
            (if (local.get $x) (then (throw $other))))
          (delegate 0))
        (local.get $acc))
      (catch $other
        (i32.mul (local.get $acc) (i32.const -1)))))

  ;; A handler that pauses after catching (the catch body itself does not hold the pause:
  ;; the value is carried out of the handler first).
  (func (export "pause_after_catch") (param $x i32) (result i32)
    (local $caught i32)
    (local.set $caught
      (try (result i32)
        (do (throw $oops (local.get $x)))
        (catch $oops)))
    (call $next (local.get $caught)))

  ;; An import that fails: sync, it throws; async, its Promise rejects and the error is thrown
  ;; at the rewind, inside the try body, where catch_all must still catch it.
  (func (export "catch_import_error") (param $x i32) (result i32)
    (try (result i32)
      (do (i32.add (call $next (local.get $x)) (call $next (i32.const 1))))
      (catch_all (i32.const -1))))

  ;; The failing import sits two instrumented frames below the try; after catching, the function
  ;; pauses again, so the state must be back to normal.
  (func $deep_fail (param $x i32) (result i32)
    (i32.add (call $next (local.get $x)) (i32.const 1)))
  (func $mid (param $x i32) (result i32)
    (i32.mul (call $deep_fail (local.get $x)) (i32.const 2)))
  (func (export "catch_deep_rejection") (param $x i32) (result i32)
    (local $r i32)
    (local.set $r
      (try (result i32)
        (do (call $mid (local.get $x)))
        (catch_all (i32.const -1))))
    (i32.add (local.get $r) (call $next (i32.const 1))))

  ;; The call that pauses, then throws, is followed by a write to a local that the handler's
  ;; path reads: the exception leaves before the write, so the local's old value must be saved.
  (func (export "overwritten_after_throwing_call") (param $x i32) (result i32)
    (local $kept i32)
    (local.set $kept (i32.mul (local.get $x) (i32.const 1000)))
    (try
      (do (local.set $kept (call $pause_and_maybe_throw (local.get $x))))
      (catch $oops (drop)))
    (local.get $kept)))
