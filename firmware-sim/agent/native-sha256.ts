// The agent's optional `sha256_native` import (docs/abi.md "Accelerators") done by
// node:crypto: what a C host does with its own SHA-256, for Node hosts and the specs.
// The state of each open hash is kept here, by the agent's context address.
import { createHash, type Hash } from "node:crypto";

/** `sha256_native` operations (assembly/host.ts Sha256Native). */
export enum Sha256NativeOp { Probe = 0, Init = 1, Update = 2, Final = 3 }

export const SHA256_NATIVE_OK = 0;
export const SHA256_NATIVE_NOT_PROVIDED = -1;
/** An unknown operation, or Update/Final on a context Init did not set up. */
export const SHA256_NATIVE_BAD_OPERATION = -2;

export type Sha256NativeImport = (op: number, ctx: number, ptr: number, len: number) => number;

/** The import for a host without a native hash: the agent hashes in AssemblyScript. */
export const sha256NotProvided: Sha256NativeImport = () => SHA256_NATIVE_NOT_PROVIDED;

/** The import over node:crypto; `memory()` is the agent instance's memory. */
export function nodeSha256Native(memory: () => WebAssembly.Memory): Sha256NativeImport {
  const open = new Map<number, Hash>();
  return (op, ctx, ptr, len) => {
    switch (op) {
      case Sha256NativeOp.Probe:
        return SHA256_NATIVE_OK;
      case Sha256NativeOp.Init:
        open.set(ctx, createHash("sha256"));
        return SHA256_NATIVE_OK;
      case Sha256NativeOp.Update: {
        const hash = open.get(ctx);
        if (!hash) return SHA256_NATIVE_BAD_OPERATION;
        hash.update(new Uint8Array(memory().buffer, ptr, len));
        return SHA256_NATIVE_OK;
      }
      case Sha256NativeOp.Final: {
        const hash = open.get(ctx);
        if (!hash) return SHA256_NATIVE_BAD_OPERATION;
        open.delete(ctx);
        new Uint8Array(memory().buffer, ptr, 32).set(hash.digest());
        return SHA256_NATIVE_OK;
      }
      default:
        return SHA256_NATIVE_BAD_OPERATION;
    }
  };
}
