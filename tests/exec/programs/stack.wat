;; Pausing calls whose neighbours are values on the operand stack, calls used as block and if
;; results, calls nested deep inside expressions, in br_table arms and under select.
(module
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "next64" (func $next64 (param i64) (result i64)))
  (import "env" "get_answer" (func $answer (result i32)))
  (import "env" "pause" (func $pause))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $plus_answer $twice)
  (type $unary (func (param i32) (result i32)))

  (func $plus_answer (param i32) (result i32) (i32.add (local.get 0) (call $answer)))
  (func $twice (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))

  ;; The local is read before the call: its value sits on the stack during the pause.
  (func (export "operand_before") (param i32) (result i32)
    (i32.add (local.get 0) (call $next (i32.const 5))))

  ;; Several values stacked up before the pausing call, of several types.
  (func (export "many_operands") (param i32) (result f64)
    (f64.add
      (f64.convert_i32_s (local.get 0))
      (f64.mul
        (f64.const 1.5)
        (f64.convert_i64_s
          (i64.sub
            (i64.extend_i32_s (i32.mul (local.get 0) (i32.const 9)))
            (call $next64 (i64.extend_i32_s (call $next (local.get 0)))))))))

  ;; Calls as block results, and a block result that feeds a later pausing call.
  (func (export "block_results") (param i32) (result i32)
    (local $x i32)
    (local.set $x
      (block (result i32)
        (drop (call $next (local.get 0)))
        (call $next (i32.add (local.get 0) (i32.const 1)))))
    (i32.sub
      (block (result i32) (call $next (local.get $x)))
      (local.get $x)))

  ;; Calls nested in expressions, in both arms of an if with a result, under select.
  (func (export "nested_expr") (param i32) (result i32)
    (i32.xor
      (i32.mul
        (i32.add (call $next (local.get 0)) (call $next (i32.add (local.get 0) (i32.const 1))))
        (if (result i32) (i32.and (local.get 0) (i32.const 1))
          (then (call $next (i32.const 100)))
          (else (i32.add (call $answer) (call $next (i32.const 200))))))
      (select (call $next (i32.const 1)) (call $next (i32.const 2)) (local.get 0))))

  ;; A pausing call as the condition of an if and of br_if, with values waiting beneath.
  (func (export "pausing_conditions") (param i32) (result i32)
    (i32.add
      (local.get 0)
      (block $out (result i32)
        (drop (br_if $out (i32.const 77) (i32.and (call $next (local.get 0)) (i32.const 2))))
        (if (result i32) (i32.and (call $next (i32.const 3)) (i32.const 1))
          (then (i32.const 1000))
          (else (i32.const 2000))))))

  ;; br_table whose every arm pauses; the index itself comes from a pausing call.
  (func (export "table_arms") (param i32) (result i32)
    (local $acc i32)
    (local $i i32)
    (loop $again
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (i32.rem_u (call $next (local.get $i)) (i32.const 4))))
        (local.set $acc (i32.add (local.get $acc) (call $next (local.get $i))))
        (br $d))
        (local.set $acc (i32.xor (local.get $acc) (call $answer)))
        (br $d))
        (call $pause)
        (local.set $acc (i32.mul (local.get $acc) (i32.const 3))))
      (local.set $acc (i32.sub (local.get $acc) (call $next (local.get $acc))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $acc))

  ;; call_indirect with an operand and the table index below a pausing call.
  (func (export "indirect_operands") (param i32) (result i32)
    (i32.add
      (i32.const 1000)
      (call_indirect (type $unary)
        (call $next (local.get 0))
        (i32.and (local.get 0) (i32.const 1)))))

  ;; A pausing call inside a function with no locals and no result: only the print survives.
  (func (export "print_after") (param i32)
    (call $print (i32.add (local.get 0) (call $next (local.get 0))))
    (call $print (call $answer))))
