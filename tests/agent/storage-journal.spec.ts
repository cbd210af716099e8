import {
  journalClear, journalFileIndex, journalLoad, journalMatches, journalRecord, journalFileStart, journalVerifiedLength,
} from "../../assembly/storage/journal";
import { StorageStatus } from "../../assembly/storage/status";
import { CutKind, flashCut, flashErases, flashOperations, flashSetup } from "./storage-flash";

const fingerprint = memory.data(32);
const otherFingerprint = memory.data(32);

function setFingerprints(): void {
  for (let i = 0; i < 32; i++) {
    store<u8>(fingerprint + i, <u8>(i * 13 + 1));
    store<u8>(otherFingerprint + i, <u8>(i * 13 + 2));
  }
}

describe("progress journal", () => {
  it("is empty on blank flash", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(journalLoad()).toBe(StorageStatus.NoProgress);
  });

  it("gives back the newest entry and recognises its update", () => {
    flashSetup(16384, 4096, 8192, 4096, 8, 0x00, 0);
    setFingerprints();
    expect<i32>(journalRecord(fingerprint, 2, 65536, 7)).toBe(StorageStatus.Ok);
    expect<i32>(journalRecord(fingerprint, 3, 4096, 9)).toBe(StorageStatus.Ok);
    expect<i32>(journalLoad()).toBe(StorageStatus.Ok);
    expect<u32>(journalFileIndex()).toBe(3);
    expect<u32>(journalVerifiedLength()).toBe(4096);
    expect<u32>(journalFileStart()).toBe(9);
    expect<bool>(journalMatches(fingerprint)).toBe(true);
    expect<bool>(journalMatches(otherFingerprint)).toBe(false);
  });

  it("does not write an entry that says what the newest one says", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    setFingerprints();
    expect<i32>(journalRecord(fingerprint, 0, 100, 0)).toBe(StorageStatus.Ok);
    const operations = flashOperations();
    expect<i32>(journalRecord(fingerprint, 0, 100, 0)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(operations);
  });

  it("is cleared by an entry, and can start again", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    setFingerprints();
    expect<i32>(journalRecord(fingerprint, 1, 100, 0)).toBe(StorageStatus.Ok);
    expect<i32>(journalClear()).toBe(StorageStatus.Ok);
    expect<i32>(journalLoad()).toBe(StorageStatus.NoProgress);
    expect<i32>(journalRecord(otherFingerprint, 0, 8, 0)).toBe(StorageStatus.Ok);
    expect<i32>(journalLoad()).toBe(StorageStatus.Ok);
    expect<bool>(journalMatches(otherFingerprint)).toBe(true);
  });

  it("appends entries without erasing, and erases one page each time one fills", () => {
    // Area 0: 8 sectors of 256 bytes; copies use sectors 0 and 1, the journal 6 pages of
    // four 60-byte slots each.
    flashSetup(2048, 256, 8192, 256, 4, 0xff, 0);
    setFingerprints();
    for (let n: u32 = 1; n <= 100; n++) {
      expect<i32>(journalRecord(fingerprint, 0, n * 512, 0)).toBe(StorageStatus.Ok);
      expect<i32>(journalLoad()).toBe(StorageStatus.Ok);
      expect<u32>(journalVerifiedLength()).toBe(n * 512);
    }
    expect<i32>(flashErases()).toBe(25, "100 entries, 4 per page: 25 page erases");
  });

  it("keeps the previous entry through a cut at any operation of an append", () => {
    const aligns: u32[] = [1, 4, 32];
    setFingerprints();
    for (let a = 0; a < aligns.length; a++) {
      for (let kind = 0; kind < 3; kind++) {
        // Cuts during a plain append (payload, marker) and during one that moves to a new
        // page (erase, payload, marker).
        for (let appended = 0; appended < 2; appended++) {
          for (let cut = 0; cut < 3; cut++) {
            flashSetup(2048, 256, 8192, 256, aligns[a], kind == 1 ? 0x00 : 0xff, 0);
            const perPage: u32 = aligns[a] == 32 ? 2 : 4;
            const before: u32 = appended == 0 ? 1 : perPage;
            for (let n: u32 = 1; n <= before; n++) expect<i32>(journalRecord(fingerprint, 0, n, 0)).toBe(StorageStatus.Ok);
            const operations: i32 = appended == 0 ? 2 : 3;
            if (cut >= operations) continue;
            flashCut(cut, kind, -1);
            expect<i32>(journalRecord(fingerprint, 0, 1000, 0)).toBe(StorageStatus.FlashDeviceError);
            expect<i32>(journalLoad()).toBe(StorageStatus.Ok);
            const markerWrite = max<u32>(8, aligns[a]);
            const committed = cut == operations - 1 && (kind == CutKind.After || (kind == CutKind.Torn && markerWrite / 2 >= 8));
            expect<u32>(journalVerifiedLength()).toBe(committed ? 1000 : before);
            // And the journal goes on working after the reboot.
            expect<i32>(journalRecord(fingerprint, 0, 2000, 0)).toBe(StorageStatus.Ok);
            expect<i32>(journalLoad()).toBe(StorageStatus.Ok);
            expect<u32>(journalVerifiedLength()).toBe(2000);
          }
        }
      }
    }
  });
});
