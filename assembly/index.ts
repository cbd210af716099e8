// Every event the host can deliver to the agent. This file is the whole export side
// of the ABI (docs/abi.md); the handlers live in their modules.
import { AbiResult, ConfigSource, LogLevel } from "./abi";
import { IO_BUFFER_SIZE, IO_SCRATCH_OFFSET, ioBuffer } from "./io";
import { log, logText } from "./host";
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE, ed25519Verify } from "./crypto/ed25519";
import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "./crypto/sha256";
import { KeyListResult, keyListApply, sayKeyListAccepted } from "./image/key_list";
import { messageClear, messageLength, messagePtr } from "./message";
import { clockAdvance } from "./otau/clock";
import { AgentEvent } from "./otau/events";
import { currentState, dispatch } from "./otau/machine";
import { configureSetting } from "./otau/settings";
import { startAgent } from "./otau/startup";
import { sayBootRefusal } from "./image/problem";
import { say } from "./message";
import { isSlot } from "./storage/areas";
import {
  bootDecide, bootDecisionApply, bootDecisionCheckSize, bootDecisionCheckSlot, bootDecisionNoteCheck, bootDecisionRefusal,
  bootDecisionRefusedSlot, bootDecisionRequireChecks, bootDecisionSlot,
} from "./storage/boot_decision";
import { text } from "./text";

const AGENT_VERSION = text("0.1.0");

export function io_buffer(): usize {
  return ioBuffer;
}

export function io_buffer_size(): u32 {
  return IO_BUFFER_SIZE;
}

const firmwareVersion = memory.data(64);
let firmwareVersionLength: i32 = 0;

/** Optional, before boot(): the running firmware's version is in the I/O buffer (names a factory image). */
export function firmware_version(len: u32): i32 {
  if (len > 64) return AbiResult.LengthTooLarge;
  memory.copy(firmwareVersion, ioBuffer, len);
  firmwareVersionLength = <i32>len;
  return AbiResult.Ok;
}

/** Optional, before boot(): a device setting (abi.ts Setting). -3 when unknown or out of range. */
export function configure(setting: i32, value: u32): i32 {
  return configureSetting(setting, value) ? AbiResult.Ok : AbiResult.BadArgument;
}

/**
 * The device has started: the agent reads its boot record and reports the installed
 * version (or the trial boot in progress). Returns 0, or a negative storage status
 * when the flash could not be read (the agent then stays idle).
 */
export function boot(): i32 {
  logText(LogLevel.Info, text("otau agent "), AGENT_VERSION, text(" booted"));
  return startAgent(firmwareVersion, firmwareVersionLength);
}

/** A document of `len` bytes is in the I/O buffer (if longer than the buffer: its start, and its full length). */
export function on_config(source: i32, len: u32): i32 {
  if (source < ConfigSource.MuranoConfigOtau || source > ConfigSource.KaaResponse) return AbiResult.BadArgument;
  dispatch(AgentEvent.Config, <u32>source, len);
  return AbiResult.Ok;
}

/** The server answered the fetch: HTTP status, first byte offset of the body, whole resource length (0 unknown). */
export function on_response(httpStatus: i32, rangeStart: u32, totalLength: u32): i32 {
  dispatch(AgentEvent.Response, <u32>httpStatus, rangeStart, totalLength);
  return AbiResult.Ok;
}

/** `len` bytes of the body are in the I/O buffer. */
export function on_data(len: u32): i32 {
  if (len > <u32>IO_BUFFER_SIZE) return AbiResult.LengthTooLarge;
  dispatch(AgentEvent.Data, len);
  return AbiResult.Ok;
}

/** The transfer ended: ok = 1 when the body arrived complete, 0 when it failed. */
export function on_data_end(ok: i32): i32 {
  dispatch(AgentEvent.DataEnd, <u32>ok);
  return AbiResult.Ok;
}

/** Time passes: a monotonic millisecond clock (wraps after 49 days; differences stay right). */
export function on_tick(nowMs: u32): i32 {
  clockAdvance(nowMs);
  dispatch(AgentEvent.Tick, nowMs);
  return AbiResult.Ok;
}

/** The application vouches that the running image works. */
export function on_healthy(): i32 {
  dispatch(AgentEvent.Healthy);
  return AbiResult.Ok;
}

/** The machine's state (abi.ts AgentState), for hosts and tests. */
export function agent_state(): i32 {
  return currentState();
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

// ---- Ed25519 (crypto/ed25519.ts): the verifier the image check uses, driven directly by
// the host over the I/O buffer so that runtimes can be checked against node:crypto.

/**
 * The I/O buffer holds signature (64 bytes, R || S), public key (32) and `len` message
 * bytes, in that order, within its first IO_SCRATCH_OFFSET bytes (the rest is the
 * verifier's work area). Returns 1 when the signature verifies, 0 when it does not.
 */
export function ed25519_verify(len: u32): i32 {
  const header = ED25519_SIGNATURE_SIZE + ED25519_PUBLIC_KEY_SIZE;
  if (len > <u32>(<usize>IO_SCRATCH_OFFSET - header)) return AbiResult.LengthTooLarge;
  return ed25519Verify(ioBuffer, ioBuffer + ED25519_SIGNATURE_SIZE, ioBuffer + header, len) ? 1 : 0;
}

// ---- Trusted keys (image/key_list.ts, storage/trust_store.ts)

/**
 * A signed key-list update of `len` bytes is in the I/O buffer (MCUboot format, body
 * "OTAUKEYS"). Applied only when signed by a key the device trusts and newer than the list
 * in force. The outcome is logged (info when accepted, error when not). After boot().
 */
export function trust_update(len: u32): i32 {
  // The list stays in the buffer's first IO_SCRATCH_OFFSET bytes while the check runs in the rest.
  if (len > <u32>IO_SCRATCH_OFFSET) return AbiResult.LengthTooLarge;
  messageClear();
  const result = keyListApply(ioBuffer, len);
  if (result == KeyListResult.Accepted) {
    messageClear();
    sayKeyListAccepted();
  }
  log(result == KeyListResult.Accepted ? LogLevel.Info : LogLevel.Error, messagePtr(), messageLength());
  if (result == KeyListResult.Accepted) return AbiResult.Ok;
  return result == KeyListResult.NoTrust ? AbiResult.WrongState : result == KeyListResult.WriteFailed ? AbiResult.StorageFailed : AbiResult.BadArgument;
}

// ---- Bootloader (storage/boot_decision.ts; docs/boot-record.md "Boot decision")

/** bootloader_decide's answer, plus the slot, when that slot's image must be checked first. */
const BOOTLOADER_CHECK: i32 = 0x100;

/**
 * Runs the bootloader's boot decision over flash, writes the boot-record update it calls
 * for (e.g. one trial attempt used), and returns the slot to start: 1 (A), 2 (B), 0 when
 * no image matches its record, or a negative StorageStatus when flash cannot be read.
 * After bootloader_check_images: 0x100 + slot when that slot's image check must run first
 * (bootloader_check_size, bootloader_check_result; then call again), nothing written; a
 * refusal is logged as the C bootloader prints it. firmware-sim's emulated bootloader calls
 * it in a fresh instance before each boot.
 */
export function bootloader_decide(): i32 {
  const decided = bootDecide();
  if (decided != 0) return decided;
  const check = bootDecisionCheckSlot();
  if (check != 0) return BOOTLOADER_CHECK + check;
  const applied = bootDecisionApply();
  if (applied != 0) return applied;
  const refused = bootDecisionRefusedSlot();
  if (refused != 0) {
    messageClear();
    say("bootloader: slot ");
    say(refused == 1 ? "A" : "B");
    say(" refused: ");
    sayBootRefusal(bootDecisionRefusal());
    log(LogLevel.Error, messagePtr(), messageLength());
  }
  return bootDecisionSlot();
}

/** Bootloader: `enabled` 1, bootloader_decide asks for each slot's image check before it takes the slot (0: it does not). */
export function bootloader_check_images(enabled: i32): void {
  bootDecisionRequireChecks(enabled != 0);
}

/** After bootloader_decide asked for a check: the boot record's size for the slot (0: no record). */
export function bootloader_check_size(): u32 {
  return bootDecisionCheckSize();
}

/** The check's outcome for `slot`: `refusal` 0 (accepted; `checked` 0 record digest only, 1 image hash, 2 signature) or why not. */
export function bootloader_check_result(slot: i32, refusal: i32, checked: i32): i32 {
  if (!isSlot(slot)) return AbiResult.BadArgument;
  bootDecisionNoteCheck(slot, refusal, checked);
  return AbiResult.Ok;
}
