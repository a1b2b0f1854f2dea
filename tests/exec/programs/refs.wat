;; Reference-typed values (externref, funcref) live across pauses: in locals, several frames deep,
;; and on the operand stack. make_obj(k) returns a fresh host object registered under k and
;; check_obj(o, k) answers 1 only if o is that very object, so a ref restored as anything else
;; (null, another object, a copy) shows up.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "pause" (func $pause))
  (import "env" "print_i32" (func $print (param i32)))
  (import "env" "make_obj" (func $make_obj (param i32) (result externref)))
  (import "env" "check_obj" (func $check_obj (param externref i32) (result i32)))
  (import "env" "echo_obj" (func $echo_obj (param externref) (result externref)))
  (import "env" "hang" (func $hang))
  (import "env" "yield" (func $yield (param i32 i32)))
  (memory (export "memory") 1)
  (type $unary (func (param i32) (result i32)))
  (table $fns 3 funcref)
  (elem (table $fns) (i32.const 0) func $double $negate $square)
  ;; call_indirect needs a table: a funcref held in a local is called through this slot.
  (table $slot 1 funcref)

  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $negate (type $unary) (i32.sub (i32.const 0) (local.get 0)))
  (func $square (type $unary) (i32.mul (local.get 0) (local.get 0)))

  (func $apply (param $f funcref) (param $x i32) (result i32)
    (table.set $slot (i32.const 0) (local.get $f))
    (call_indirect $slot (type $unary) (local.get $x) (i32.const 0)))

  ;; Null and non-null refs of both kinds in locals; after the first pause the null ones become
  ;; non-null, after the second every one is checked.
  (func (export "ref_locals") (param $x i32) (result i32)
    (local $a externref) (local $n externref) (local $f funcref) (local $g funcref) (local $v i32)
    (local.set $a (call $make_obj (local.get $x)))
    (local.set $f (ref.func $double))
    (local.set $v (call $next (local.get $x)))
    (call $print (call $check_obj (local.get $a) (local.get $x)))
    (call $print (ref.is_null (local.get $n)))
    (call $print (ref.is_null (local.get $g)))
    (local.set $n (call $make_obj (i32.add (local.get $x) (i32.const 1))))
    (local.set $g (table.get $fns (i32.const 2)))
    (call $pause)
    (call $print (call $check_obj (local.get $a) (local.get $x)))
    (call $print (call $check_obj (local.get $n) (i32.add (local.get $x) (i32.const 1))))
    (call $print (ref.is_null (local.get $f)))
    (i32.add
      (call $apply (local.get $f) (local.get $v))
      (call $apply (local.get $g) (local.get $v))))

  ;; Every frame holds two host objects and a funcref across a pause before and after its
  ;; callee; on the way out it reports how many of its refs came back intact (3 when all did).
  (func $deep (param $d i32) (result i32)
    (local $o externref) (local $p externref) (local $f funcref) (local $v i32)
    (local.set $o (call $make_obj (local.get $d)))
    (local.set $p (call $make_obj (i32.add (local.get $d) (i32.const 1000))))
    (local.set $f (table.get $fns (i32.rem_u (local.get $d) (i32.const 3))))
    (local.set $v (call $next (local.get $d)))
    (if (local.get $d)
      (then (local.set $v (i32.add (local.get $v) (call $deep (i32.sub (local.get $d) (i32.const 1)))))))
    (call $pause)
    (call $print
      (i32.add
        (i32.add
          (call $check_obj (local.get $o) (local.get $d))
          (call $check_obj (local.get $p) (i32.add (local.get $d) (i32.const 1000))))
        (i32.eq
          (call $apply (local.get $f) (i32.const 7))
          (call_indirect $fns (type $unary) (i32.const 7) (i32.rem_u (local.get $d) (i32.const 3))))))
    (local.get $v))

  (func (export "deep") (param $d i32) (result i32)
    (call $deep (local.get $d)))

  ;; Refs on the operand stack below a pausing call: one read from a local, one straight from a
  ;; call (no local holds it), a funcref from table.get.
  (func (export "stack_refs") (param $k i32) (result i32)
    (local $o externref)
    (local.set $o (call $make_obj (i32.add (i32.mul (local.get $k) (i32.const 3)) (i32.const 1))))
    (i32.add
      (i32.add
        (call $check_obj (local.get $o) (call $next (local.get $k)))
        (call $check_obj (call $make_obj (i32.const 7)) (call $next (i32.const 2))))
      (call $apply (table.get $fns (i32.const 1)) (call $next (local.get $k)))))

;; ref.func and ref.null waiting on the stack while a call pauses: emitted again after it
  ;; (no parking slot), in funcref and externref positions.
  (func $null_plus (param $o externref) (param $x i32) (result i32)
    (i32.add (ref.is_null (local.get $o)) (local.get $x)))
  (func (export "const_refs") (param $k i32) (result i32)
    (i32.add
      (call $apply (ref.func $square) (call $next (local.get $k)))
      (call $null_plus (ref.null extern) (call $next (i32.const 5)))))

  ;; Ref-typed parameters held across a pause, and a ref result returned after it.
  (func $keep (param $o externref) (param $f funcref) (param $k i32) (result externref)
    (local $v i32)
    (local.set $v (call $next (local.get $k)))
    (call $print (call $apply (local.get $f) (local.get $v)))
    (local.get $o))

  ;; A typed select whose two ref operands wait on the stack while its condition pauses.
  (func (export "ref_params") (param $k i32) (result i32)
    (call $check_obj
      (select (result externref)
        (call $keep (call $make_obj (local.get $k)) (table.get $fns (i32.const 2)) (local.get $k))
        (ref.null extern)
        (i32.ge_s (call $next (local.get $k)) (i32.const -1000000)))
      (local.get $k)))

  ;; The table slot is cleared while paused, so the local is the only holder of the function.
  (func (export "indirect_held") (param $x i32) (result i32)
    (local $f funcref) (local $k i32) (local $v i32)
    (local.set $k (i32.rem_u (local.get $x) (i32.const 3)))
    (local.set $f (table.get $fns (local.get $k)))
    (table.set $fns (local.get $k) (ref.null func))
    (local.set $v (call $next (local.get $x)))
    (table.set $fns (local.get $k) (local.get $f))
    (call_indirect $fns (type $unary) (local.get $v) (local.get $k)))

  ;; A pausing import that takes and returns an externref.
  (func (export "echo") (param $k i32) (result i32)
    (local $o externref)
    (local.set $o (call $make_obj (local.get $k)))
    (i32.add
      (call $check_obj (call $echo_obj (local.get $o)) (local.get $k))
      (call $check_obj (local.get $o) (local.get $k))))

  ;; Pauses d frames deep in an import that never settles: the stack is abandoned, never
  ;; rewound, with refs parked in every frame.
  (func $abandon (param $d i32)
    (local $o externref)
    (local.set $o (call $make_obj (i32.add (local.get $d) (i32.const 5000))))
    (if (local.get $d)
      (then (call $abandon (i32.sub (local.get $d) (i32.const 1))))
      (else (call $hang)))
    (call $print (call $check_obj (local.get $o) (i32.add (local.get $d) (i32.const 5000)))))

  (func (export "abandon") (param $d i32)
    (call $abandon (local.get $d)))

  ;; A coroutine: d+1 frames, each holding two host objects registered under keys of its own
  ;; coroutine, yielding on the way in (d) and on the way out (-d). Returns how many refs came
  ;; back intact, 2 per frame.
  (func $co (param $id i32) (param $d i32) (result i32)
    (local $o externref) (local $p externref) (local $key i32) (local $r i32)
    (local.set $key (i32.add (i32.mul (local.get $id) (i32.const 10000)) (local.get $d)))
    (local.set $o (call $make_obj (local.get $key)))
    (local.set $p (call $make_obj (i32.add (local.get $key) (i32.const 5000))))
    (call $yield (local.get $id) (local.get $d))
    (if (local.get $d)
      (then (local.set $r (call $co (local.get $id) (i32.sub (local.get $d) (i32.const 1))))))
    (call $yield (local.get $id) (i32.sub (i32.const 0) (local.get $d)))
    (i32.add (local.get $r)
      (i32.add
        (call $check_obj (local.get $o) (local.get $key))
        (call $check_obj (local.get $p) (i32.add (local.get $key) (i32.const 5000))))))

  (func (export "coroutine") (param $id i32) (param $d i32) (result i32)
    (call $co (local.get $id) (local.get $d))))
