#!/usr/bin/env node
// The package's `otau-sim` bin: registers tsx (resolved from this package, so it works from
// any directory) and runs the TypeScript CLI.
import "tsx/esm";

await import("../cli.ts");
