// The flash the storage specs run on: firmware-sim's strict NOR emulator (loaded through
// tsx, since as-pect loads its config with plain node), plus test-only imports with which a
// spec reshapes the device, injects failures and power cuts, and pokes bytes.
// Declared on the AssemblyScript side in tests/agent/storage-flash.ts.
import { tsImport } from "tsx/esm/api";

const { NorFlash, PowerLoss } = await tsImport("../../firmware-sim/flash/nor-flash.ts", import.meta.url);

const CUT_KINDS = ["before", "after", "torn"];

function device(recordSize, recordSector, slotSize, slotSector, align, erased, andModel, trustSize = 0, trustSector = 0) {
  const slot = { size: slotSize, sectorSize: slotSector, writeAlign: align, erasedValue: erased };
  const areas = [{ size: recordSize, sectorSize: recordSector, writeAlign: align, erasedValue: erased }, slot, { ...slot }];
  if (trustSize > 0) areas.push({ size: trustSize, sectorSize: trustSector, writeAlign: align, erasedValue: erased });
  return new NorFlash({ areas, program: andModel ? "and" : "strict" });
}

/** Flash imports for one agent instance; `memory()` returns the instance's memory. */
export function storageFlashImports(memory) {
  let setup = [16384, 4096, 65536, 4096, 4, 0xff, false];
  let flash = device(...setup);
  let abi = flash.imports(memory);
  let reported = [];
  let saved;
  // A power cut surfaces to the spec as a failed call (DeviceError); the flash keeps what
  // the cut left, and the spec "reboots" by reading the storage again.
  const survive = (call) => (...args) => {
    try {
      return call(...args);
    } catch (error) {
      if (error instanceof PowerLoss) return -5;
      throw error;
    }
  };
  return {
    flash_info: (area, out) => {
      const override = reported[area];
      if (!override) return abi.flash_info(area, out);
      const view = new DataView(memory().buffer, out, 16);
      override.forEach((value, i) => view.setUint32(4 * i, value >>> 0, true));
      return 0;
    },
    flash_read: survive((...args) => abi.flash_read(...args)),
    flash_write: survive((...args) => abi.flash_write(...args)),
    flash_erase: survive((...args) => abi.flash_erase(...args)),
    test_flash_setup: (recordSize, recordSector, slotSize, slotSector, align, erased, andModel) => {
      setup = [recordSize, recordSector, slotSize, slotSector, align, erased, andModel !== 0];
      flash = device(...setup);
      abi = flash.imports(memory);
      reported = [];
    },
    test_flash_trust_area: (size, sector) => {
      flash = device(...setup, size, sector);
      abi = flash.imports(memory);
      reported = [];
    },
    test_flash_report: (area, size, sector, align, erased) => {
      reported[area] = [size, sector, align, erased];
    },
    test_flash_operations: () => flash.operations,
    test_flash_erases: () => flash.counts.erases,
    test_flash_fail_at: (fromNow, code) => (fromNow < 0 ? flash.clearFailure() : flash.failAt(flash.operations + fromNow, code)),
    test_flash_cut: (fromNow, kind, tornBytes) =>
      flash.cutAt({ at: flash.operations + fromNow, kind: CUT_KINDS[kind], tornBytes: tornBytes < 0 ? undefined : tornBytes }),
    test_flash_peek: (area, offset) => flash.bytes(area)[offset],
    test_flash_poke: (area, offset, value) => { flash.bytes(area)[offset] = value; },
    test_flash_snapshot: () => { saved = flash.snapshot(); },
    test_flash_restore: () => flash.restore(saved),
  };
}

