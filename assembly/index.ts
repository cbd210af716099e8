// Every event the host can deliver to the agent. This file is the whole export side
// of the ABI (docs/abi.md); the handlers live in their modules.
import { AbiResult, IO_BUFFER_SIZE, ioBuffer } from "./io";
import { LogLevel, logText } from "./host";
import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "./crypto/sha256";

const AGENT_VERSION = "0.1.0";

export function io_buffer(): usize {
  return ioBuffer;
}

export function io_buffer_size(): u32 {
  return IO_BUFFER_SIZE;
}

/** The host calls this once after instantiation (and `_start`). */
export function boot(): i32 {
  logText(LogLevel.Info, "otau agent " + AGENT_VERSION + " booted");
  return AbiResult.Ok;
}

// A hash the host drives directly over the I/O buffer: used to check runtimes
// against each other and to benchmark the agent's SHA-256.
const hostHash = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
let hostHashOpen = false;

export function sha256_init(): i32 {
  sha256Init(hostHash);
  hostHashOpen = true;
  return AbiResult.Ok;
}

/** Hashes the first `len` bytes of the I/O buffer. */
export function sha256_update(len: u32): i32 {
  if (!hostHashOpen) return AbiResult.WrongState;
  if (len > <u32>IO_BUFFER_SIZE) return AbiResult.LengthTooLarge;
  sha256Update(hostHash, ioBuffer, len);
  return AbiResult.Ok;
}

/** Writes the 32-byte digest to the start of the I/O buffer. */
export function sha256_final(): i32 {
  if (!hostHashOpen) return AbiResult.WrongState;
  sha256Final(hostHash, ioBuffer);
  hostHashOpen = false;
  return AbiResult.Ok;
}
