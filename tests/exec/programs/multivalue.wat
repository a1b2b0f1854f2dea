;; Multi-value results and i64 values crossing the JS boundary (as BigInt) around pauses.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "next64" (func $next64 (param i64) (result i64)))
  (import "env" "divmod" (func $divmod (param i64 i32) (result i64 i32)))
  (import "env" "print_i64" (func $print64 (param i64)))
  (memory (export "memory") 1)

  ;; An internal function with three results, pausing before it returns them.
  (func $triple (param $x i32) (result i32 i64 f64)
    (call $next (local.get $x))
    (call $next64 (i64.extend_i32_s (local.get $x)))
    (f64.mul (f64.convert_i32_s (call $next (i32.const 7))) (f64.const 0.5)))

  ;; Consumes the three results after the pause; the first two wait on the stack while the
  ;; callee's third value is being computed.
  (func (export "use_triple") (param i32) (result f64)
    (local $a i32) (local $b i64) (local $c f64)
    (call $triple (local.get 0))
    (local.set $c)
    (local.set $b)
    (local.set $a)
    (f64.add (f64.add (f64.convert_i32_s (local.get $a)) (f64.convert_i64_s (local.get $b)))
             (local.get $c)))

  ;; An exported function with several results, one of them i64.
  (func (export "pair") (param i32 i64) (result i64 i32)
    (call $next64 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
    (call $next (local.get 0)))

  ;; i64 arguments and results: the rewind re-passes BigInt arguments.
  (func (export "wide") (param $x i64) (param $y i64) (result i64)
    (local $t i64)
    (local.set $t (call $next64 (i64.mul (local.get $x) (local.get $y))))
    (call $print64 (local.get $t))
    (i64.xor (local.get $t) (call $next64 (i64.sub (local.get $t) (local.get $x)))))

  ;; A pausing import with an i64 argument and two results.
  (func (export "divide") (param $n i64) (param $d i32) (result i64)
    (local $q i64) (local $r i32)
    (call $divmod (local.get $n) (local.get $d))
    (local.set $r)
    (local.set $q)
    (i64.add (i64.mul (local.get $q) (i64.const 1000)) (i64.extend_i32_u (local.get $r)))))
