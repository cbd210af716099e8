// Test-only imports of the engine specs (implemented in tests/agent/engine-host.js), and
// helpers that drive the agent through its exports as a host would.
import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "../../assembly/crypto/sha256";
import { ioBuffer } from "../../assembly/io";
import { boot, firmware_version, on_config } from "../../assembly/index";
import { flashSetup } from "./storage-flash";

@external("env", "test_effects_clear")
export declare function effectsClear(): void;
@external("env", "test_report_count")
export declare function reportCount(): i32;
@external("env", "test_report_channel")
export declare function reportChannel(index: i32): i32;
@external("env", "test_report_copy")
declare function reportCopy(index: i32, ptr: usize, cap: u32): u32;
@external("env", "test_fetch_count")
export declare function fetchCount(): i32;
@external("env", "test_fetch_offset")
export declare function fetchOffset(index: i32): u32;
@external("env", "test_cancel_count")
export declare function cancelCount(): i32;
@external("env", "test_reset_count")
export declare function resetCount(): i32;
@external("env", "test_apply_count")
export declare function applyCount(): i32;
@external("env", "test_set_fetch_result")
export declare function setFetchResult(value: i32): void;
@external("env", "test_set_apply_result")
export declare function setApplyResult(value: i32): void;

const REPORT_CAPACITY: u32 = 2048;
const reportText = memory.data(<i32>REPORT_CAPACITY);

/** Report `index` (negative: from the end) as text. */
export function report(index: i32): string {
  const at = index < 0 ? reportCount() + index : index;
  const length = min(reportCopy(at, reportText, REPORT_CAPACITY), REPORT_CAPACITY);
  return String.UTF8.decodeUnsafe(reportText, length);
}

/** Copies `text` as UTF-8 into the I/O buffer; returns its length in bytes. */
export function toIoBuffer(text: string): u32 {
  return <u32>String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, ioBuffer);
}

/** Delivers `text` as a document of `source` (0 config_otau, 1 otau_info, 2 Kaa). */
export function deliver(source: i32, text: string): void {
  expect(on_config(source, toIoBuffer(text))).toBe(0);
}

/** A fresh device: erased flash (16 KiB record area, two 64 KiB slots), booted as `firmware`. */
export function freshDevice(firmware: string = "1.0.0"): void {
  flashSetup(16384, 4096, 65536, 4096, 4, 0xff, 0);
  effectsClear();
  expect(firmware_version(toIoBuffer(firmware))).toBe(0);
  expect(boot()).toBe(0);
}

/** Fills the I/O buffer with `len` bytes of a pattern; file bytes are pattern(offset). */
export function chunkAt(offset: u32, len: u32): u32 {
  for (let i: u32 = 0; i < len; i++) store<u8>(ioBuffer + i, <u8>((offset + i) * 13 + ((offset + i) >> 9)));
  return len;
}

const patternContext = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const patternByte = memory.data(1);
const patternDigest = memory.data(32);

/** The sha256 (64 hex digits) of a file of `len` pattern bytes, as chunkAt makes them: for configs. */
export function patternSha256Hex(len: u32): string {
  sha256Init(patternContext);
  for (let i: u32 = 0; i < len; i++) {
    store<u8>(patternByte, <u8>(i * 13 + (i >> 9)));
    sha256Update(patternContext, patternByte, 1);
  }
  sha256Final(patternContext, patternDigest);
  let hex = "";
  for (let i = 0; i < 32; i++) {
    const b = load<u8>(patternDigest + i);
    hex += "0123456789abcdef".charAt(b >> 4) + "0123456789abcdef".charAt(b & 15);
  }
  return hex;
}
