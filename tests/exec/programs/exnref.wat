;; Exception handling with try_table and exnref around pausing calls. Debian's wabt 1.0.32 cannot
;; assemble this; the suite uses wabt.js (tests/exec/package.json). Node 20 cannot run it either:
;; exnref.test.mjs runs it in Chromium. exnref.bin, for the unit tests, is its binary:
;;   node tests/exec/node_modules/wabt/bin/wat2wasm --enable-exceptions \
;;     tests/exec/programs/exnref.wat -o tests/exec/programs/exnref.bin
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (tag $oops (param i32))
  (tag $other)

  ;; A pause inside a try_table body, then a throw caught by a catch clause of the same function:
  ;; the handler sees the value computed after the pause.
  (func (export "pause_then_throw") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $oops $caught)
        (local.set $x (call $next (local.get $x)))
        (call $print (local.get $x))
        (if (i32.and (local.get $x) (i32.const 1)) (then (throw $oops (local.get $x)))))
      (return (local.get $x)))
    (i32.add (i32.const 100000)))

  ;; The thrower pauses first; the throw crosses an instrumented caller whose try_table sits in a
  ;; loop with a pause of its own after the handler.
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
          (block $value (result i32)
            (i32.sub (i32.const 0)
              (block $neg (result i32)
                (block $all
                  (try_table (catch $oops $neg) (catch_all $all)
                    (br $value (call $pause_and_maybe_throw (local.get $i)))))
                (br $value (i32.const -1)))))))
      (local.set $sum (i32.add (local.get $sum) (call $next (local.get $sum))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))

  ;; catch_ref: the caught exception, an exnref, stays live across a pause in the handler and is
  ;; thrown again with throw_ref, to an outer try_table of the caller.
  (func $handle_later (param $x i32) (result i32)
    (local $exn exnref) (local $payload i32)
    (block $handler (result i32 exnref)
      (try_table (catch_ref $oops $handler)
        (throw $oops (call $next (local.get $x))))
      (unreachable))
    (local.set $exn)
    (local.set $payload)
    (call $print (call $next (local.get $payload)))
    (if (i32.and (local.get $payload) (i32.const 1)) (then (throw_ref (local.get $exn))))
    (local.get $payload))

  (func (export "exnref_across_pause") (param $x i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $oops $outer)
        (return (i32.sub (i32.const 0) (call $handle_later (local.get $x)))))
      (unreachable)))

  ;; catch_all_ref around an import whose Promise rejects (a JavaScript exception): the handler
  ;; pauses, then throws the very same exception again, which reaches the export's caller.
  (func (export "host_error_through_cleanup") (param $x i32) (result i32)
    (local $exn exnref) (local $r i32)
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup)
        (local.set $r (call $next (local.get $x)))
        (local.set $r (i32.add (local.get $r) (call $next (local.get $r)))))
      (return (local.get $r)))
    (local.set $exn)
    (call $print (call $next (i32.const 1000)))
    (throw_ref (local.get $exn)))

;; Nested try_tables: pauses in the inner body and in the outer one, a throw of $other from the
  ;; inner body caught by the outer clause, and a null exnref live across the pauses.
  (func (export "nested") (param $x i32) (result i32)
    (local $acc i32) (local $none exnref)
    (block $out
      (try_table (catch $other $out)
        (local.set $acc (call $next (local.get $x)))
        (local.set $acc
          (block $inner (result i32)
            (try_table (catch $oops $inner)
              (local.set $acc (i32.add (local.get $acc) (call $next (local.get $acc))))
              (if (i32.and (local.get $x) (i32.const 2)) (then (throw $other)))
              (if (i32.and (local.get $x) (i32.const 1)) (then (throw $oops (i32.const 5)))))
            (local.get $acc)))
        (local.set $acc (i32.add (local.get $acc) (call $next (i32.const 7))))
        (if (ref.is_null (local.get $none)) (then (return (local.get $acc))))
        (unreachable)))
    (i32.sub (call $next (local.get $acc)) (local.get $acc)))

  ;; The call that pauses, then throws, is followed by a write to a local that the handler's
  ;; path reads: the exception leaves before the write, so the local's old value must be saved.
  (func (export "overwritten_after_throwing_call") (param $x i32) (result i32)
    (local $kept i32)
    (local.set $kept (i32.mul (local.get $x) (i32.const 1000)))
    (block $handled
      (drop
        (block $caught (result i32)
          (try_table (catch $oops $caught)
            (local.set $kept (call $pause_and_maybe_throw (local.get $x))))
          (br $handled))))
    (local.get $kept)))
