;; GC references across pauses: structs, arrays, i31 and anyref values in locals and on the
;; operand stack while the stack is unwound, and the same objects after the rewind (mutations
;; made before a pause are seen after it). Neither Debian's wabt nor wabt.js reads GC types, so
;; the module is committed as gc-refs.bin (not .wasm, which the wabt-agreement tests collect),
;; assembled with Binaryen 132 from npm (tests/exec/package.json):
;;   node tests/exec/node_modules/binaryen/bin/wasm-as --enable-gc --enable-reference-types \
;;     --enable-exception-handling tests/exec/programs/gc-refs.wat -o tests/exec/programs/gc-refs.bin
;; (not --all-features: that writes the imports in the compact-imports proposal's encoding).
;; gc-refs.test.mjs runs it in Chromium (Node 20's V8 has no standard GC).
(module
  (type $point (struct (field $x (mut i32)) (field $y i32)))
  (type $bytes (array (mut i8)))
  (type $points (array (mut (ref null $point))))
  (type $unary (func (param i32) (result i32)))
  (type $never (func (param f64) (result f64)))  ;; no function of the module has this type
  (import "env" "next" (func $next (param i32) (result i32)))
  (import "env" "print_i32" (func $print (param i32)))
  (memory (export "memory") 1)
  (tag $oops (param i32))

  ;; A non-nullable struct in a local, changed before a pause and read after it.
  (func (export "struct_local") (param $x i32) (result i32)
    (local $p (ref $point))
    (local.set $p (struct.new $point (local.get $x) (i32.const 5)))
    (struct.set $point $x (local.get $p) (call $next (struct.get $point $x (local.get $p))))
    (call $print (struct.get $point $x (local.get $p)))
    (i32.add (struct.get $point $x (local.get $p)) (call $next (struct.get $point $y (local.get $p)))))

  (func $sum3 (param $a (ref $bytes)) (param $i i32) (param $p (ref null $point)) (result i32)
    (i32.add
      (array.get_u $bytes (local.get $a) (local.get $i))
      (if (result i32) (ref.is_null (local.get $p))
        (then (i32.const -1000))
        (else (struct.get $point $y (local.get $p))))))

  ;; An array and a null struct reference waiting on the operand stack under pausing calls.
  (func (export "operands") (param $n i32) (result i32)
    (local $a (ref $bytes))
    (local.set $a (array.new $bytes (i32.const 7) (i32.const 4))) ;; four elements of 7
    (array.set $bytes (local.get $a) (i32.const 2) (local.get $n))
    (call $sum3
      (local.get $a)
      (i32.and (call $next (local.get $n)) (i32.const 3))
      (select (result (ref null $point))
        (ref.null $point)
        (struct.new $point (i32.const 0) (call $next (i32.const 9)))
        (i32.and (local.get $n) (i32.const 1)))))

  ;; An array of structs filled in a loop that pauses on every turn; i31 and anyref locals.
  (func (export "loop_of_structs") (param $n i32) (result i32)
    (local $all (ref $points)) (local $i i32) (local $sum i32)
    (local $small (ref i31)) (local $any anyref)
    (local.set $all (array.new_default $points (local.get $n)))
    (local.set $small (ref.i31 (i32.const -7)))
    (local.set $any (local.get $all))
    (loop $fill
      (array.set $points (local.get $all) (local.get $i)
        (struct.new $point (call $next (local.get $i)) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $i (i32.const 0))
    (loop $add
      (local.set $sum
        (i32.add (local.get $sum)
          (struct.get $point $x (array.get $points (local.get $all) (local.get $i)))))
      (drop (call $next (local.get $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add
      (i32.add (local.get $sum) (i31.get_s (local.get $small)))
      (array.len (ref.cast (ref $points) (local.get $any)))))
  ;; Functions that pause and return non-nullable references. While unwinding, each returns a
  ;; stand-in value of its type (a global built by a constant expression), which the caller
  ;; drops; after the rewind the real value arrives.
  (elem declare func $double)
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $make_point (param $x i32) (result (ref $point))
    (struct.new $point (call $next (local.get $x)) (local.get $x)))
  (func $make_bytes (param $n i32) (result (ref $bytes))
    (array.new $bytes (i32.const 1) (i32.and (call $next (local.get $n)) (i32.const 15))))
  (func $make_fn (param $x i32) (result (ref $unary))
    (drop (call $next (local.get $x)))
    (ref.func $double))
  (func $make_i31 (param $x i32) (result (ref i31))
    (ref.i31 (call $next (local.get $x))))
  (func $make_extern (param $x i32) (result (ref extern))
    (extern.convert_any (ref.i31 (call $next (local.get $x)))))
  (func $make_struct (param $x i32) (result (ref struct))
    (call $make_point (local.get $x)))

  (func (export "returned_refs") (param $x i32) (result i32)
    (local $p (ref $point))
    (local.set $p (call $make_point (local.get $x)))
    (i32.add (struct.get $point $x (local.get $p))
      (i32.add (array.len (call $make_bytes (local.get $x)))
        (i32.add (call_ref $unary (i32.const 21) (call $make_fn (local.get $x)))
          (i32.add (i31.get_s (call $make_i31 (local.get $x)))
            (i32.add
              (i31.get_s (ref.cast (ref i31) (any.convert_extern (call $make_extern (local.get $x)))))
              (struct.get $point $y (ref.cast (ref $point) (call $make_struct (local.get $x))))))))))

  ;; A callee that restores its own parameters, called with a fresh struct: while rewinding,
  ;; the caller must still hand it a non-null reference (the one it made, kept across the pause).
  (func $pause_then_read (param $p (ref $point)) (result i32)
    (i32.add (call $next (struct.get $point $x (local.get $p))) (struct.get $point $y (local.get $p))))
  (func (export "non_null_argument") (param $x i32) (result i32)
    (call $pause_then_read (struct.new $point (local.get $x) (i32.const 100))))

  ;; A call that never returns normally (it pauses, then traps), with a non-nullable argument:
  ;; not re-made from the prologue on rewind (that would need a stand-in argument), but reached.
  (func $fail_with (param $p (ref $point))
    (call $print (call $next (struct.get $point $x (local.get $p))))
    (unreachable))
  (func (export "fails_after_pause") (param $x i32) (result i32)
    (if (i32.eqz (local.get $x)) (then (return (call $next (i32.const 3)))))
    (call $fail_with (struct.new $point (local.get $x) (i32.const 0)))
    (unreachable))

  ;; A pausable function returning a function type that no function of the module has: it can
  ;; only trap, but while unwinding it returns a reference to a function the transform adds.
  (func $never_made (param $x i32) (result (ref $never))
    (call $print (call $next (local.get $x)))
    (unreachable))
  (func (export "never_made") (param $x i32) (result i32)
    (drop (call $never_made (local.get $x)))
    (i32.const 1))

  ;; A pausable function returning a (ref exn) made after its pause: while unwinding it returns
  ;; an exception the transform makes (no constant expression can), which the caller drops.
  (func $make_exception (param $x i32) (result (ref exn))
    (local $v i32)
    (local.set $v (call $next (local.get $x)))
    (block $made (result (ref exn))
      (try_table (catch_all_ref $made) (throw $oops (local.get $v)))
      (unreachable)))
  (func (export "returned_exception") (param $x i32) (result i32)
    (local $e exnref)
    (local.set $e (call $make_exception (local.get $x)))
    (local.set $x (i32.add (local.get $x) (call $next (i32.const 3))))
    (i32.add (local.get $x)
      (block $caught (result i32)
        (try_table (catch $oops $caught) (throw_ref (local.get $e)))
        (unreachable))))
)
