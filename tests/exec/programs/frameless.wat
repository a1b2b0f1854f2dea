;; Functions with one pausable call and nothing live across it keep no frame: an unwind passes
;; through them without saving, a rewind without restoring. $wrap keeps one (the import is
;; called again with its parameter) and so does "pair" (two calls). Between framed functions,
;; with results of several types, with the call in one arm of an if, after code that a rewind
;; skips, and in a loop (rewound through its copy). Where the call is the last thing the function
;; does, it needs no state check either ("prefix", "loop"), unless it returns what an import
;; returned ("direct": while it starts an unwind, an import returns what it likes, and an
;; unwinding function must return zeros).
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)

  (func $wrap (param $x i32) (result i32)
    (call $next (local.get $x)))

  (func $wide (param $x i32) (result i64 f64)
    (i64.extend_i32_u (call $wrap (local.get $x)))
    (f64.const 1.5))

  ;; The condition comes from memory: the arm is picked by the resume id while rewinding.
  (func $in_arm (param $p i32) (result i32)
    (if (result i32) (i32.load (local.get $p))
      (then (call $wrap (i32.const 5)))
      (else (i32.const -1))))

  (func $prefixed (param $x i32) (result i32)
    (call $print (local.get $x))
    (call $wrap (i32.add (local.get $x) (i32.const 1))))

  ;; The counter lives in memory: nothing is live across the call.
  ;; The turn that finds it at 2 makes no call (so the loop gets a rewind copy).
  (func $looped
    (loop $again
      (call $print (i32.const 100))
      (i32.store (i32.const 0) (i32.sub (i32.load (i32.const 0)) (i32.const 1)))
      (br_if $again (i32.eq (i32.load (i32.const 0)) (i32.const 2)))
      (call $print (call $wrap (i32.load (i32.const 0))))
      (br_if $again (i32.load (i32.const 0)))))

  ;; A framed caller around frameless callees.
  (func (export "pair") (param $x i32) (result i32)
    (i32.sub (call $wrap (local.get $x)) (call $wrap (i32.mul (local.get $x) (i32.const 3)))))

  (func (export "wide_sum") (param $x i32) (result f64)
    (local $d f64)
    local.get $x
    call $wide
    local.set $d
    f64.convert_i64_u
    local.get $d
    f64.add)

  (func (export "arm") (param $flag i32) (result i32)
    (i32.store (i32.const 8) (local.get $flag))
    (call $in_arm (i32.const 8)))

  (func (export "prefix") (param $x i32) (result i32)
    (call $prefixed (local.get $x)))

  (func (export "loop") (param $n i32)
    (i32.store (i32.const 0) (local.get $n))
    (call $looped))

  (func (export "direct") (param $x i32) (result i32)
    (call $next (i32.const 9)))

  ;; The call ends the function inside an if, after stores that a rewind must skip (counted at
  ;; address 12): the rewind prologue holds the dispatch, and there is still no check.
  (func (export "counted_arm") (param $x i32)
    (i32.store (i32.const 16) (local.get $x))
    (i32.store (i32.const 12) (i32.add (i32.load (i32.const 12)) (i32.const 1)))
    (if (i32.load (i32.const 16))
      (then (drop (call $wrap (i32.const 3))))))

  ;; $ping has one call and keeps $k and $n across it: a frame, but no site id in it (4 bytes
  ;; saved inline, as it recurses through $pong: $n comes back from its callers).
  (func $ping (param $n i32) (result i32)
    (local $k i32)
    (local.set $k (i32.mul (local.get $n) (i32.const 3)))
    (i32.add (call $pong (local.get $n)) (local.get $k)))

  (func $pong (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $next (i32.const 1)))
      (else (call $ping (i32.sub (local.get $n) (i32.const 1))))))

  (func (export "ping_pong") (param $n i32) (result i32)
    (call $ping (local.get $n))))
