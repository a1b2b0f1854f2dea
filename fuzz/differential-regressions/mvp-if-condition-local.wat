;; Reduced from default-1211: the `if` condition is a local set before the pausable call and
;; dead after it. On rewind the code that set it is skipped, so unless the local is restored
;; (or the branch forced), the rewind takes the else branch and returns while still rewinding.
(module
  (import "fuzzing-support" "log-i32" (func $log (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 1))
  (func (export "run") (result i32)
    (local $c i32)
    (local.set $c (global.get $g))
    (if (result i32) (local.get $c)
      (then (call $log (i32.const 1)) (call $log (i32.const 2)) (i32.const 42))
      (else (i32.const 7)))))
