;; Memory and globals change while a call is paused (the host writes them from the pausing
;; import). The rewind must resume the calls that were in flight, not re-evaluate their
;; operands against the new state.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (global $selector (export "selector") (mut i32) (i32.const 0))
  (table $t 3 funcref)
  (elem (i32.const 0) $first $second $third)
  (type $fn (func (param i32) (result i32)))

  (func $first (param $x i32) (result i32)
    (i32.add (call $next (local.get $x)) (i32.const 1000)))
  (func $second (param $x i32) (result i32)
    (i32.add (call $next (local.get $x)) (i32.const 2000)))
  (func $third (param $x i32) (result i32)
    (i32.sub (i32.const 0) (local.get $x)))

  ;; The table slot comes from memory; the pausing callee changes that memory.
  (func (export "index_from_memory") (param $x i32) (result i32)
    (call_indirect (type $fn) (local.get $x) (i32.load (i32.const 64))))

  ;; The slot comes from a global the host changes during the pause.
  (func (export "index_from_global") (param $x i32) (result i32)
    (call_indirect (type $fn) (local.get $x) (global.get $selector)))

  ;; The callee's argument is a load from memory that changes during the pause; the value read
  ;; before the pause must be the one the callee works with afterwards.
  (func $use_twice (param $v i32) (result i32)
    (local $r i32)
    (local.set $r (call $next (local.get $v)))
    (call $print (local.get $v))
    (i32.add (local.get $r) (local.get $v)))
  (func (export "argument_from_memory") (result i32)
    (call $use_twice (i32.load (i32.const 64))))

  ;; A value loaded before the pause and kept on the stack.
  (func (export "stacked_load") (result i32)
    (i32.sub (i32.load (i32.const 64)) (call $next (i32.const 3))))

  ;; Operands that would trap if evaluated again after the host changed the global: a division
  ;; by it, and a load from the address it holds.
  (global $divisor (export "divisor") (mut i32) (i32.const 7))
  (func (export "divide_by_global") (param $x i32) (result i32)
    (call $use_twice (i32.div_u (local.get $x) (global.get $divisor))))
  (func (export "load_at_global") (result i32)
    (call $use_twice (i32.load (global.get $divisor))))
  (func (export "indirect_by_division") (param $x i32) (result i32)
    (call_indirect (type $fn) (local.get $x) (i32.rem_u (i32.const 4) (global.get $divisor)))))
