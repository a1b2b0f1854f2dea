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
    (call_indirect (type $fn) (local.get $x) (i32.rem_u (i32.const 4) (global.get $divisor))))

  ;; Arguments rebuilt on rewind when that is safe, spilled when it is not. A local.tee in the
  ;; arguments writes the same value again only when that value does not come from memory; a
  ;; load's address must not read a local that the arguments write after the read; an
  ;; immutable global may form an address.
  (global $base i32 (i32.const 60))
  (func $use_both (param $a i32) (param $b i32) (result i32)
    (i32.add (call $use_twice (local.get $a)) (local.get $b)))
  (func (export "tee_arithmetic") (param $x i32) (result i32)
    (local $y i32)
    (i32.mul (call $use_twice (local.tee $y (i32.add (local.get $x) (i32.const 1))))
             (local.get $y)))
  (func (export "tee_loaded") (param $x i32) (result i32)
    (local $y i32)
    (i32.add (call $use_twice (local.tee $y (i32.load (i32.const 64)))) (local.get $y)))
  (func (export "address_rewritten") (param $p i32) (result i32)
    (call $use_both (i32.load (local.get $p)) (local.tee $p (i32.const 0x7ffffff0))))
  (func (export "immutable_base") (param $x i32) (result i32)
    (call $use_both (i32.load offset=4 (global.get $base)) (local.get $x)))

  ;; A statement at the top of the loop body runs again ahead of the rewind's test and writes
  ;; the local that a rebuilt argument loads from: the rewind must put the local back.
  (func (export "loop_rewrites_address") (param $n i32) (result i32)
    (local $p i32) (local $acc i32)
    (loop $again
      (local.set $p (i32.const 0x7ffffff0))
      (call $print (local.get $n))
      (local.set $p (i32.const 64))
      (local.set $acc (i32.add (local.get $acc) (call $use_twice (i32.load (local.get $p)))))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
