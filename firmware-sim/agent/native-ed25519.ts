// The agent's optional `ed25519_native` import (docs/abi.md "Accelerators") in the simulator:
// node:crypto (OpenSSL) verifies. Unlike `sha256_native` there is no state to keep between
// calls, so OpenSSL can do it all: the signature, key and message are read from agent memory.

import { createPublicKey, verify } from "node:crypto";
import { Ed25519NativeResult } from "./abi.ts";

export type Ed25519NativeImport = (signature: number, publicKey: number, message: number, len: number) => number;

/** The import for a host without a native verifier: the agent verifies in AssemblyScript. */
export const ed25519NotProvided: Ed25519NativeImport = () => Ed25519NativeResult.NotProvided;

// A raw Ed25519 key as SubjectPublicKeyInfo DER (RFC 8410), the form node:crypto loads.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** node:crypto's verdict on the signature, key and message in `memory()`. */
export function nodeEd25519Native(memory: () => WebAssembly.Memory): Ed25519NativeImport {
  return (signature, publicKey, message, len) => {
    const bytes = (at: number, n: number) => Buffer.from(memory().buffer, at >>> 0, n >>> 0);
    let key;
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes(publicKey, 32)]), format: "der", type: "spki" });
    } catch {
      return Ed25519NativeResult.Invalid; // a key OpenSSL will not load verifies nothing
    }
    return verify(null, bytes(message, len), key, bytes(signature, 64)) ? Ed25519NativeResult.Valid : Ed25519NativeResult.Invalid;
  };
}
