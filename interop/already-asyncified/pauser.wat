;; A small module with a pausing import; the test asyncifies it with Binaryen to obtain a module
;; that already carries the Asyncify exports.
(module
  (import "env" "sleep" (func $sleep (param i32)))
  (memory (export "memory") 1)
  (func $work (export "work") (param $n i32) (result i32)
    (local $acc i32)
    (loop $again
      (call $sleep (local.get $n))
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
