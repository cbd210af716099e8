// Test-only imports of the storage specs (implemented in tests/agent/storage-flash.js over
// firmware-sim's NOR flash emulator), and small helpers the specs share.

/** Re-creates the device: area 0 and two equal slots, one alignment and erased value. */
@external("env", "test_flash_setup")
export declare function flashSetup(
  recordSize: u32, recordSector: u32, slotSize: u32, slotSector: u32, align: u32, erased: u32, andModel: i32,
): void;
/** Re-creates the device of the last setup with a trust-store area 3 of `size` bytes (same alignment and erased value). */
@external("env", "test_flash_trust_area")
export declare function flashTrustArea(size: u32, sector: u32): void;
/** Makes flash_info report this geometry for `area` (until the next setup). */
@external("env", "test_flash_report")
export declare function flashReport(area: i32, size: u32, sector: u32, align: u32, erased: u32): void;
/** Counted flash operations (writes and erases) so far. */
@external("env", "test_flash_operations")
export declare function flashOperations(): i32;
@external("env", "test_flash_erases")
export declare function flashErases(): i32;
/** The counted operation `fromNow` operations ahead fails with `code` and changes nothing (-1: disarm). */
@external("env", "test_flash_fail_at")
export declare function flashFailAt(fromNow: i32, code: i32): void;
/** Power is cut at the operation `fromNow` ahead (kind: CutKind); the call then returns -5. */
@external("env", "test_flash_cut")
export declare function flashCut(fromNow: i32, kind: i32, tornBytes: i32): void;
@external("env", "test_flash_peek")
export declare function flashPeek(area: i32, offset: u32): u8;
@external("env", "test_flash_poke")
export declare function flashPoke(area: i32, offset: u32, value: u8): void;
@external("env", "test_flash_snapshot")
export declare function flashSnapshot(): void;
@external("env", "test_flash_restore")
export declare function flashRestore(): void;

export const enum CutKind {
  Before = 0,
  After = 1,
  Torn = 2,
}

/** Fills `len` bytes at `ptr` with a pattern that depends on position and `seed`. */
export function fillPattern(ptr: usize, len: u32, seed: u32): void {
  for (let i: u32 = 0; i < len; i++) store<u8>(ptr + i, <u8>((i * 31 + seed * 7 + (i >> 8)) & 0xff));
}
