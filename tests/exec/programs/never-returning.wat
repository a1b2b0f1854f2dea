;; Pausable functions that never return normally: their results include a type without values
;; ((ref none), (ref nofunc)), so they can only throw, trap or run forever. Only direct calls
;; reach them, so the transform makes those results nullable (null is what they return while
;; unwinding) and follows each call to them with `unreachable`. No wabt reads GC types, so the
;; module is committed as never-returning.bin, assembled with Binaryen 132 from npm:
;;   node tests/exec/node_modules/binaryen/bin/wasm-as --enable-gc --enable-reference-types \
;;     --enable-exception-handling --enable-multivalue --enable-tail-call \
;;     tests/exec/programs/never-returning.wat -o tests/exec/programs/never-returning.bin
;; never-returning.test.mjs runs it in Chromium (Node 20's V8 has no standard GC).
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (tag $found (param i32))

  ;; Pauses twice, keeping $x and $y across the pauses, then throws what it found.
  (func $throws_after_pauses (param $x i32) (result (ref none))
    (local $y i32)
    (local.set $y (call $next (local.get $x)))
    (call $print (local.get $y))
    (throw $found
      (i32.add (local.get $y) (call $next (i32.add (local.get $x) (i32.const 1))))))

  ;; Hands over by a tail call: its own result becomes nullable as well, so the call stays one.
  (func $doubles_then_hands_over (param $x i32) (result (ref none))
    (return_call $throws_after_pauses (i32.mul (local.get $x) (i32.const 2))))

  ;; Several results, the one without values first: it pauses, then traps.
  (func $pair (param $x i32) (result (ref nofunc) i32)
    (drop (call $next (local.get $x)))
    (unreachable))

  (func (export "caught") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $found $caught)
        (drop (call $throws_after_pauses (local.get $x))))
      (i32.const -1)))

  (func (export "caught_after_tail_call") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $found $caught)
        (drop (call $doubles_then_hands_over (local.get $x))))
      (i32.const -1)))

  ;; The caller reads the result (code that never runs) and pauses before the call too.
  (func (export "result_read") (param $x i32) (result i32)
    (local $before i32)
    (local.set $before (call $next (local.get $x)))
    (i32.add
      (local.get $before)
      (block $caught (result i32)
        (try_table (catch $found $caught)
          (return (ref.is_null (call $throws_after_pauses (local.get $before)))))
        (i32.const -1))))

  ;; Not inside a try: the call is made again from the rewind prologue, and traps after it.
  (func (export "traps_after_pause") (param $x i32) (result i32)
    (local $keep i32)
    (local.set $keep (call $next (local.get $x)))
    (call $print (local.get $keep))
    (drop (call $pair (local.get $keep)))
    (drop)
    (local.get $keep)))
