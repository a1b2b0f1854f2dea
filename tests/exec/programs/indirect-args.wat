;; Indirect calls through a private table rewind into the function that paused. When every
;; function of the call's type that may pause is instrumented and restores its own parameters,
;; the arguments need not come back exactly, only the table index does: here they are loads from
;; memory that the paused callee changes, so a rewind rebuilds them with other values, which the
;; callee ignores. A type whose table entries include a pausing import keeps its arguments
;; exact, since the import is called again with them: read_file writes the buffer that one of
;; its arguments is loaded from while it is paused. A parameter the callee never writes could
;; come back from its callers instead of its frame; when their calls leave the arguments to the
;; callee, it is saved by the callee.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "read_file" (func $read_file (param i32 i32 i32 i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (type $two (func (param i32 i32) (result i32)))
  (type $four (func (param i32 i32 i32 i32) (result i32)))
  (type $three (func (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 200) "indirect-args.txt")
  (table 5 funcref)
  (elem (i32.const 0) $add_next $mul_next $read_file $read_twice $sub_next)

  ;; They write all their parameters, so none is given back by the caller.
  (func $add_next (type $two) (param $a i32) (param $b i32) (result i32)
    (i32.store (i32.const 100) (i32.add (i32.load (i32.const 100)) (i32.const 1000)))
    (local.set $b (i32.add (local.get $b) (i32.const 1)))
    (local.set $a (i32.add (local.get $a) (call $next (local.get $b))))
    (local.get $a))
  (func $mul_next (type $two) (param $a i32) (param $b i32) (result i32)
    (i32.store (i32.const 104) (i32.const 7))
    (local.set $a (i32.add (local.get $a) (i32.const 2)))
    (local.set $b (call $next (i32.mul (local.get $a) (local.get $b))))
    (i32.sub (local.get $b) (local.get $a)))
  (func $read_twice (type $four) (param $p i32) (param $n i32) (param $buf i32) (param $cap i32)
    (result i32)
    (local.set $p (i32.add (local.get $p) (i32.const 0)))
    (local.set $n (i32.add (local.get $n) (i32.const 0)))
    (local.set $buf (i32.add (local.get $buf) (i32.const 4)))
    (local.set $cap (call $read_file (local.get $p) (local.get $n) (local.get $buf) (i32.const 4)))
    (i32.add (local.get $cap)
      (call $read_file (local.get $p) (local.get $n) (i32.sub (local.get $buf) (i32.const 4))
        (i32.const 4))))

  ;; $c is never written; the two calls through $three leave their arguments to it.
  (func $sub_next (type $three) (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.store (i32.const 112) (i32.const 99))
    (local.set $a (i32.sub (call $next (local.get $a)) (local.get $b)))
    (local.set $b (i32.const 0))
    (i32.add (local.get $a) (local.get $c)))

  (func (export "three_a") (param $v i32) (result i32)
    (i32.store (i32.const 112) (local.get $v))
    (call_indirect (type $three)
      (local.get $v) (i32.const 2) (i32.load (i32.const 112)) (i32.const 4)))
  (func (export "three_b") (param $v i32) (result i32)
    (i32.store (i32.const 112) (i32.mul (local.get $v) (i32.const 3)))
    (call_indirect (type $three)
      (i32.const 1) (local.get $v) (i32.load (i32.const 112)) (i32.const 4)))

  (func (export "two_args") (param $which i32) (param $v i32) (result i32)
    (i32.store (i32.const 100) (local.get $v))
    (i32.store (i32.const 104) (i32.add (local.get $v) (i32.const 3)))
    (i32.add
      (call_indirect (type $two)
        (i32.load (i32.const 100)) (i32.load (i32.const 104)) (local.get $which))
      (i32.load (i32.const 100))))

  ;; read_file(path, 17, 300, load(300) & 7): the capacity is loaded from the buffer the read
  ;; fills while paused
  (func (export "four_args") (param $which i32) (result i32)
    (i32.store (i32.const 300) (i32.const 0x0f0f0f0f))
    (i32.store (i32.const 304) (i32.const 0))
    (call $print
      (call_indirect (type $four)
        (i32.const 200) (i32.const 17) (i32.const 300)
        (i32.and (i32.load (i32.const 300)) (i32.const 7))
        (local.get $which)))
    (i32.add (i32.load (i32.const 300)) (i32.load (i32.const 304))))
)
