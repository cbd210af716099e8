;; An agent whose static initialisation (_start) traps.
(module
  (memory (export "memory") 1 1)
  (func (export "_start") unreachable)
)
