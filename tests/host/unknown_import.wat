;; An agent built against an import this host does not have.
(module
  (import "env" "teleport" (func $teleport (param i32)))
  (memory (export "memory") 1 1)
  (func (export "_start") (call $teleport (i32.const 1)))
)
