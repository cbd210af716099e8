// The compiler's entry. The exports live in ./index.ts; they are re-exported from
// here because json-as 1.6.0's transform re-labels any source whose path is
// exactly "assembly/index" as a library file, which drops that file's exports.
export * from "./index";
