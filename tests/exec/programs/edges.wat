;; Corner cases around a pausing call: NaN payloads kept bit for bit, results dropped or returned
;; at once, branches carrying values out of nested blocks, br_table with values, unreachable code
;; after a pause, a v128 select.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "pause" (func $pause))
  (import "env" "print_i32" (func $print (param i32)))
  (import "env" "print_i64" (func $print64 (param i64)))
  (memory (export "memory") 1)

  ;; Signalling-NaN payloads in f32/f64 locals and parameters across a pause.
  (func (export "nan_payloads") (param $p f32) (result i32)
    (local $f f32) (local $d f64)
    (local.set $f (f32.reinterpret_i32 (i32.const 0x7fa00001)))
    (local.set $d (f64.reinterpret_i64 (i64.const 0x7ff4000000000bad)))
    (call $pause)
    (call $print (i32.reinterpret_f32 (local.get $f)))
    (call $print64 (i64.reinterpret_f64 (local.get $d)))
    (call $print (i32.reinterpret_f32 (local.get $p)))
    (i32.reinterpret_f32 (f32.neg (local.get $f))))

  (func (export "dropped") (param $x i32) (result i32)
    (drop (call $next (local.get $x)))
    (drop (call $next (i32.add (local.get $x) (i32.const 1))))
    (i32.mul (local.get $x) (i32.const 2)))

  (func (export "returned") (param $x i32) (result i32)
    (if (i32.gt_s (local.get $x) (i32.const 10))
      (then (return (call $next (local.get $x)))))
    (i32.sub (i32.const 0) (call $next (local.get $x))))

  ;; A value computed after the pause leaves three blocks at once through br.
  (func (export "branch_out") (param $x i32) (result i32)
    (block $outer (result i32)
      (block $middle
        (block $inner
          (br_if $outer (i32.const 7) (i32.eq (call $next (local.get $x)) (i32.const 1)))
          (br_if $inner (i32.and (local.get $x) (i32.const 1)))
          (br $outer (i32.add (call $next (local.get $x)) (i32.const 1000))))
        (br $outer (i32.mul (call $next (local.get $x)) (i32.const -1))))
      (i32.const -5)))

  ;; br_table carrying a value that was produced by a pausing call.
  (func (export "table_value") (param $x i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (br_table $a $b $a (call $next (local.get $x)) (i32.rem_u (local.get $x) (i32.const 3))))
      (i32.add (call $next (i32.const 0)))))

  ;; The pause is followed, on one path, by a trap.
  (func (export "maybe_trap") (param $x i32) (result i32)
    (local $v i32)
    (local.set $v (call $next (local.get $x)))
    (if (i32.eqz (local.get $x)) (then (unreachable)))
    (local.get $v))

  ;; v128 operands of select around a pausing condition.
  (func (export "vector_select") (param $x i32) (result i32)
    (local $a v128) (local $b v128)
    (local.set $a (i32x4.splat (local.get $x)))
    (local.set $b (i32x4.splat (i32.const -1)))
    (i32x4.extract_lane 2
      (select (result v128)
        (local.get $a)
        (i32x4.add (local.get $b) (i32x4.splat (call $next (local.get $x))))
        (i32.and (call $next (local.get $x)) (i32.const 1))))))
