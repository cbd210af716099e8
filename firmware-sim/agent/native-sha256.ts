// The agent's optional `sha256_native` import (docs/abi.md "Accelerators") done by
// node:crypto: what a C host does with its own SHA-256, for Node hosts and the specs.
// The state of each open hash is kept here, by the agent's context address.
import { createHash, type Hash } from "node:crypto";

import { Sha256Native, Sha256NativeResult } from "./abi.ts";

export type Sha256NativeImport = (op: number, ctx: number, ptr: number, len: number) => number;

/** The import for a host without a native hash: the agent hashes in AssemblyScript. */
export const sha256NotProvided: Sha256NativeImport = () => Sha256NativeResult.NotProvided;

/** The import over node:crypto; `memory()` is the agent instance's memory. */
export function nodeSha256Native(memory: () => WebAssembly.Memory): Sha256NativeImport {
  const open = new Map<number, Hash>();
  return (op, ctx, ptr, len) => {
    switch (op) {
      case Sha256Native.Probe:
        return Sha256NativeResult.Ok;
      case Sha256Native.Init:
        open.set(ctx, createHash("sha256"));
        return Sha256NativeResult.Ok;
      case Sha256Native.Update: {
        const hash = open.get(ctx);
        if (!hash) return Sha256NativeResult.BadOperation;
        hash.update(new Uint8Array(memory().buffer, ptr, len));
        return Sha256NativeResult.Ok;
      }
      case Sha256Native.Final: {
        const hash = open.get(ctx);
        if (!hash) return Sha256NativeResult.BadOperation;
        open.delete(ctx);
        new Uint8Array(memory().buffer, ptr, 32).set(hash.digest());
        return Sha256NativeResult.Ok;
      }
      default:
        return Sha256NativeResult.BadOperation;
    }
  };
}
