;; Arguments of a call to an instrumented function are rebuilt on rewind only to be ignored by
;; the rewinding callee. Locals that only feed such arguments through arithmetic need not be
;; saved; a local that feeds a load must be (a junk address would trap), and so must one that
;; is read again after the pause.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "\07\00\00\00")

  (func $use_twice (param $v i32) (result i32)
    (local $r i32)
    (local.set $r (call $next (local.get $v)))
    (call $print (local.get $v))
    (i32.add (local.get $r) (local.get $v)))

  (func (export "arith_arg") (param $x i32) (result i32)
    (call $use_twice (i32.add (i32.mul (local.get $x) (local.get $x)) (i32.const 1))))

  (func (export "load_arg") (param $addr i32) (result i32)
    (call $use_twice (i32.load (local.get $addr))))

  (func (export "arg_and_after") (param $x i32) (result i32)
    (i32.add (call $use_twice (i32.mul (local.get $x) (i32.const 3))) (local.get $x))))
