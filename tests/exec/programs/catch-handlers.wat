;; Pauses inside legacy exception handlers (catch $tag, catch_all): the handler must be resumed
;; where it paused, with its payload, after a rewind.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "make_obj" (func $make_obj (param i32) (result externref)))
  (import "env" "check_obj" (func $check_obj (param externref i32) (result i32)))
  (import "env" "next64" (func $next64 (param i64) (result i64)))
  (memory (export "memory") 1)
  (tag $oops (param i32))
  (tag $other)
  (tag $obj (param externref i32))
  (tag $wide (param i64 f64))

  ;; The payload is used before the pause, stays on the operand stack across two pauses, and is
  ;; used after them. The try body pauses too, so the thrown payload depends on a resumed value.
  (func (export "payload") (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do
        (throw $oops (i32.mul (call $next (local.get $x)) (i32.const 7))))
      (catch $oops
        local.tee $p
        local.get $p
        call $print
        local.get $p
        call $next
        i32.add
        local.get $p
        call $next
        i32.xor)))

  ;; catch_all over a tag with a payload, a tag without, and a host exception; it pauses twice.
  (func (export "catch_all_pause") (param $x i32) (result i32)
    (local $v i32)
    (try (result i32)
      (do
        (local.set $v (i32.rem_u (local.get $x) (i32.const 3)))
        (if (i32.eqz (local.get $v)) (then (throw $oops (local.get $x))))
        (if (i32.eq (local.get $v) (i32.const 1)) (then (throw $other)))
        (call $fail (local.get $x))
        (i32.const -1))
      (catch_all
        (local.set $v (call $next (local.get $x)))
        (call $print (local.get $v))
        (i32.add (local.get $v) (call $next (local.get $v))))))

  ;; A loop in the handler pausing on every turn, the payload as its counter.
  (func (export "handler_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (try (result i32)
      (do (throw $oops (local.get $n)))
      (catch $oops
        (local.set $i)
        (loop $turn
          (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (call $next (local.get $i))))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br_if $turn (i32.gt_s (local.get $i) (i32.const 0))))
        (local.get $acc))))

  ;; A try nested in a handler: its body pauses, and its own handler pauses again, so a rewind
  ;; re-enters two handlers.
  (func (export "nested_in_handler") (param $x i32) (result i32)
    (local $p i32) (local $v i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $p)
        (try (result i32)
          (do
            (local.set $v (call $next (local.get $p)))
            (if (i32.and (local.get $v) (i32.const 1)) (then (throw $other)))
            (local.get $v))
          (catch $other
            (i32.sub (i32.const 0) (call $next (i32.add (local.get $p) (local.get $v)))))))))

  ;; rethrow after a pause: the rethrown exception must still carry the original payload (the
  ;; local holding it is changed first, so only the exception can supply it).
  (func $rethrower (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $p)
        (call $print (call $next (local.get $p)))
        (local.set $p (i32.const 0))
        (rethrow 0))))

  (func (export "rethrow_after_pause") (param $x i32) (result i32)
    (try (result i32)
      (do (call $rethrower (local.get $x)))
      (catch $oops
        i32.const 1000000
        i32.add
        i32.const 1
        call $next
        i32.add)))

  ;; The handler's pausing import fails: thrown at the rewind, inside the handler, it escapes to
  ;; the caller's catch_all; then the caller pauses again.
  (func $handle (param $x i32) (result i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $x)
        (i32.add (i32.mul (local.get $x) (i32.const 2)) (call $next (local.get $x))))))

  (func (export "reject_in_handler") (param $x i32) (result i32)
    (local $r i32)
    (local.set $r
      (try (result i32)
        (do (call $handle (local.get $x)))
        (catch_all (i32.const -1))))
    (i32.add (local.get $r) (call $next (i32.const 1))))

  ;; The same failure caught by a try inside the handler itself.
  (func (export "reject_caught_in_handler") (param $x i32) (result i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $x)
        (try (result i32)
          (do (call $next (local.get $x)))
          (catch_all (i32.sub (i32.const 0) (call $next (i32.const 2))))))))

  ;; One try, three clauses, each pausing: a rewind must re-enter the clause that caught (a
  ;; catch_all resumed by throwing a tag the earlier clauses catch would land in the wrong one).
  (func (export "clauses") (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do
        (local.set $p (i32.rem_u (local.get $x) (i32.const 3)))
        (if (i32.eqz (local.get $p)) (then (throw $oops (local.get $x))))
        (if (i32.eq (local.get $p) (i32.const 1)) (then (throw $other)))
        (call $fail (local.get $x))
        (i32.const -1))
      (catch $oops
        (local.set $p)
        (i32.add (local.get $p) (call $next (local.get $p))))
      (catch $other
        (i32.sub (i32.const 0) (call $next (local.get $x))))
      (catch_all
        (i32.mul (call $next (local.get $x)) (i32.const 2)))))

  ;; A handler calling a function that pauses in its own handler, the payload passed straight
  ;; to the pausing import: the rewind re-enters both handlers.
  (func $inner_handler (param $x i32) (result i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops (call $next))))

  (func (export "handler_calls_handler") (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do (throw $oops (i32.add (local.get $x) (i32.const 1))))
      (catch $oops
        (local.set $p)
        (i32.add (call $inner_handler (local.get $p)) (local.get $p)))))

  ;; The handler runs on every turn of a loop, each time with another payload, and pauses.
  (func (export "loop_of_handlers") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $turn
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $acc
        (i32.xor (i32.mul (local.get $acc) (i32.const 3))
          (try (result i32)
            (do (throw $oops (local.get $i)))
            (catch $oops (call $next)))))
      (br_if $turn (i32.lt_s (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; rethrow 1 from a nested handler: both handlers paused first, and the outer exception (with
  ;; its payload) is the one that goes on.
  (func $rethrow_outer (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $p)
        (call $print (call $next (local.get $p)))
        (local.set $p (i32.const 0))
        (try (result i32)
          (do (throw $other))
          (catch $other
            (call $print (call $next (i32.const 3)))
            (rethrow 1))))))

  (func (export "rethrow_outer") (param $x i32) (result i32)
    (try (result i32)
      (do (call $rethrow_outer (local.get $x)))
      (catch $oops)))

  ;; A payload with a host object: after the pause it must be the very same object.
  (func (export "ref_payload") (param $k i32) (result i32)
    (local $o externref) (local $p i32)
    (try (result i32)
      (do (throw $obj (call $make_obj (local.get $k)) (local.get $k)))
      (catch $obj
        (local.set $p)
        (local.set $o)
        (i32.add
          (call $next (local.get $p))
          (call $check_obj (local.get $o) (local.get $p))))))

  ;; An i64 and an f64 payload, both left on the operand stack across the pause.
  (func (export "wide_payload") (param $x i64) (result f64)
    (local $f f64)
    (try (result f64)
      (do
        (throw $wide
          (i64.mul (local.get $x) (i64.const 3))
          (f64.add (f64.convert_i64_s (local.get $x)) (f64.const 0.25))))
      (catch $wide
        local.get $x
        call $next64
        f64.convert_i64_s
        f64.add
        local.set $f
        f64.convert_i64_s
        local.get $f
        f64.add)))

  ;; A handler pauses, then leaves by a return_call to a function that pauses too.
  (func $after_handler (param $p i32) (result i32)
    (i32.mul (call $next (local.get $p)) (i32.const 3)))

  (func (export "tail_from_handler") (param $x i32) (result i32)
    (local $p i32)
    (try (result i32)
      (do (throw $oops (local.get $x)))
      (catch $oops
        (local.set $p)
        (local.set $p (i32.add (local.get $p) (call $next (local.get $p))))
        (return_call $after_handler (local.get $p)))))

  ;; A cleanup pad as C++ compilers emit it: catch_all, a destructor that pauses, rethrow 0. The
  ;; exception is $oops, $other, $wide or a host's, picked by x % 4; the caller must receive the
  ;; very exception that was thrown, with its payload. $other's handler pauses again in a try
  ;; nested in the pad and rethrows the pad's exception from there.
  (func $cleanup (param $x i32) (result i32)
    (local $v i32)
    (try (result i32)
      (do
        (local.set $v (i32.rem_u (local.get $x) (i32.const 4)))
        (if (i32.eqz (local.get $v)) (then (throw $oops (local.get $x))))
        (if (i32.eq (local.get $v) (i32.const 1)) (then (throw $other)))
        (if (i32.eq (local.get $v) (i32.const 2))
          (then (throw $wide (i64.extend_i32_s (local.get $x)) (f64.convert_i32_s (local.get $x)))))
        (call $fail (local.get $x))
        (i32.const -1))
      (catch_all
        (call $print (call $next (local.get $x)))
        (if (i32.eq (local.get $v) (i32.const 1))
          (then
            (try
              (do (throw $other))
              (catch $other
                (call $print (call $next (i32.const 5)))
                (rethrow 2)))))
        (rethrow 0))))

  (func (export "cleanup_rethrow") (param $x i32) (result i32)
    (local $f f64)
    (try (result i32)
      (do (call $cleanup (local.get $x)))
      (catch $oops (i32.add (i32.const 1000)))
      (catch $other (i32.const -2))
      (catch $wide
        (local.set $f)
        (i32.wrap_i64)
        (i32.trunc_f64_s (local.get $f))
        (i32.mul))
      (catch_all (i32.const -3)))))
