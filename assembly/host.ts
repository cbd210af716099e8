// Every effect the agent asks of its host. This file is the whole import side of
// the ABI (docs/abi.md): integers and pointers into the agent's own memory only.
// The numbers they take (levels, channels, operations) are in abi.ts.
import { LogLevel } from "./abi";
import { Text, textBytes, textLength } from "./text";

/** Write `len` bytes of UTF-8 text at `ptr` to the device log. */
@external("env", "log")
export declare function log(level: i32, ptr: usize, len: usize): void;

/**
 * The agent hit an unrecoverable condition (an AssemblyScript abort). `ptr`/`len`
 * hold a UTF-8 message; the host logs it and re-instantiates the agent. Never returns.
 */
@external("env", "fatal")
export declare function fatal(ptr: usize, len: usize, line: u32, column: u32): void;

const TEXT_SCRATCH_SIZE: i32 = 192;
const textScratch = memory.data(TEXT_SCRATCH_SIZE);

/** Copies an AssemblyScript string as UTF-8 (ASCII subset, others as '?') without allocating. */
function copyText(text: string | null, at: i32): i32 {
  if (text === null) return at;
  const units = text.length;
  const src = changetype<usize>(text);
  for (let i = 0; i < units && at < TEXT_SCRATCH_SIZE; i++) {
    const unit = load<u16>(src + (<usize>i << 1));
    store<u8>(textScratch + at++, unit < 0x80 ? <u8>unit : 0x3f);
  }
  return at;
}

/**
 * The abort target (asconfig `--use abort=`): turns "message in file" into plain
 * bytes so that no AssemblyScript string crosses the ABI, then calls `fatal`.
 */
export function agentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let at = copyText(message, 0);
  at = copyText(" in ", at);
  at = copyText(fileName, at);
  fatal(textScratch, at, line, column);
  unreachable();
}

/** Appends a text constant (cut at the scratch's end) and returns the new length. */
function copyUtf8(t: Text, at: i32): i32 {
  if (t == 0) return at;
  const n = min(<i32>textLength(t), TEXT_SCRATCH_SIZE - at);
  memory.copy(textScratch + at, textBytes(t), n);
  return at + n;
}

/**
 * Logs up to three text constants (assembly/text.ts) as one line, joined in scratch
 * memory: this allocates nothing.
 */
export function logText(level: LogLevel, first: Text, second: Text = 0, third: Text = 0): void {
  let at = copyUtf8(first, 0);
  at = copyUtf8(second, at);
  at = copyUtf8(third, at);
  log(level, textScratch, at);
}

// ---- Flash (docs/abi.md "Flash"). Areas are described by the host; see storage/areas.ts.

/** Writes {size, sectorSize, writeAlign, erasedValue} as four u32 at `out`. */
@external("env", "flash_info")
export declare function flash_info(area: i32, out: usize): i32;

@external("env", "flash_read")
export declare function flash_read(area: i32, offset: u32, ptr: usize, len: u32): i32;

/** `offset` and `len` multiples of the area's write alignment; the bytes must be erased. */
@external("env", "flash_write")
export declare function flash_write(area: i32, offset: u32, ptr: usize, len: u32): i32;

/** `offset` and `len` multiples of the area's sector size. */
@external("env", "flash_erase")
export declare function flash_erase(area: i32, offset: u32, len: u32): i32;

// ---- Reports, transport and device effects (docs/abi.md "Updates").

/** Deliver `len` bytes of a UTF-8 JSON document on `channel` (abi.ts Channel). */
@external("env", "report")
export declare function report(channel: i32, ptr: usize, len: usize): void;

/**
 * Start an HTTP(S) GET of the URL at ptr/len, asking for bytes from `offset` on (a Range
 * request when offset > 0). The host answers later with on_response, on_data…, on_data_end.
 * Returns 0 when started, negative when the host cannot start it now.
 */
@external("env", "fetch")
export declare function fetch(ptr: usize, len: usize, offset: u32): i32;

/** Abandon the transfer in progress; no further on_data/on_data_end for it. */
@external("env", "fetch_cancel")
export declare function fetch_cancel(): void;

/** A `JSON` config's payload object (UTF-8 JSON at ptr/len) for the application to apply. 0 = applied. */
@external("env", "apply_json")
export declare function apply_json(ptr: usize, len: usize): i32;

/** Restart the device through the bootloader. The host may do it after the current call returns. */
@external("env", "reset")
export declare function reset(): void;

// ---- Optional accelerators (docs/abi.md "Accelerators").

/**
 * SHA-256 done by the host (crypto/sha256.ts uses it when the Probe answers 0). `ctx` is a
 * SHA256_CONTEXT_SIZE block of agent memory the host may keep its state in. Returns 0, or
 * negative when the host has no native hash or refuses the operation.
 */
@external("env", "sha256_native")
export declare function sha256_native(op: i32, ctx: usize, ptr: usize, len: usize): i32;

/**
 * Ed25519 verification done by the host (crypto/ed25519.ts asks it first): `signature` (64
 * bytes, R || S) by the 32-byte `publicKey` over the `len` bytes at `message`. Returns
 * Ed25519NativeResult: Valid, Invalid, or NotProvided (negative) and the agent verifies itself.
 */
@external("env", "ed25519_native")
export declare function ed25519_native(signature: usize, publicKey: usize, message: usize, len: usize): i32;
