;; An agent whose `log` import does not match docs/abi.md.
(module
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 1 1)
  (func (export "_start") (call $log (i32.const 1)))
)
