;; Two memories, both written by the program: the unwind data goes to the one exported as
;; "memory" by default, to the other with --memory scratch, or to a memory of its own with
;; --secondary-memory, and the program's own data must come out the same in every case.
;; memories.test.mjs runs it in Chromium (Node 20's V8 has no multi-memory).
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory $scratch (export "scratch") 1)
  (memory $main (export "memory") 1)

  ;; Recursion that pauses at every level, with locals live across the pause, and stores into
  ;; both memories on the way back.
  (func $descend (param $depth i32) (param $acc i32) (result i32)
    (local $here i32)
    (local.set $here (call $next (i32.add (local.get $acc) (local.get $depth))))
    (i32.store $main (i32.shl (local.get $depth) (i32.const 2)) (local.get $here))
    (if (i32.gt_u (local.get $depth) (i32.const 0))
      (then (local.set $here (i32.add (local.get $here)
        (call $descend (i32.sub (local.get $depth) (i32.const 1)) (local.get $here))))))
    (i32.store $scratch (i32.shl (local.get $depth) (i32.const 2)) (local.get $here))
    (local.get $here))

  (func (export "run") (param $depth i32) (result i32)
    (local $total i32) (local $k i32)
    (drop (call $descend (local.get $depth) (i32.const 1)))
    ;; Read back what both memories hold, printing each word.
    (loop $words
      (call $print (i32.load $main (i32.shl (local.get $k) (i32.const 2))))
      (local.set $total (i32.add (local.get $total)
        (i32.load $scratch (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $words (i32.le_u (local.get $k) (local.get $depth))))
    (local.get $total)))
