;; A memory64 module: the unwind data structure holds 64-bit pointers and the ABI calls take i64.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "next64" (func $next64 (param i64) (result i64)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") i64 1)

  (func $slot (param $i i32) (result i64)
    (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 4))))

  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (i32.store (call $slot (local.get $i)) (call $next (local.get $i)))
      (local.set $acc (i32.add (local.get $acc) (i32.load (call $slot (local.get $i)))))
      (call $print (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))

  ;; An address computed before the pause and used after it.
  (func (export "store_after") (param $addr i64) (result i64)
    (i64.store (local.get $addr) (call $next64 (local.get $addr)))
    (i64.load (local.get $addr))))
