import { SHA256_CONTEXT_SIZE, sha256Final, sha256Init, sha256Update } from "../../assembly/crypto/sha256";
import { Area } from "../../assembly/abi";
import { alignUp } from "../../assembly/storage/areas";
import {
  SIZE_UNKNOWN, slotWriterBegin, slotWriterDigest, slotWriterDurableLength, slotWriterEndFile, slotWriterExpectedSize,
  slotWriterFileDigestSoFar,
  slotWriterFinish, slotWriterIsOpen, slotWriterOffset, slotWriterWrite,
} from "../../assembly/storage/slot_writer";
import { StorageStatus } from "../../assembly/storage/status";
import {
  CutKind, fillPattern, flashCut, flashErases, flashFailAt, flashOperations, flashPeek, flashPoke, flashSetup,
} from "./storage-flash";

const IMAGE_MAX: u32 = 12288;
const image = memory.data(<i32>IMAGE_MAX, 8);
const other = memory.data(<i32>IMAGE_MAX, 8);
const hashContext = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const expected = memory.data(32);
const wrongDigest = memory.data(32);
const fileDigest = memory.data(32);
const slotBytes = memory.data(<i32>IMAGE_MAX, 8);

function digestOf(ptr: usize, len: u32, out: usize): void {
  sha256Init(hashContext);
  sha256Update(hashContext, ptr, len);
  sha256Final(hashContext, out);
}

/** Writes image[from, to) in chunks of `step` bytes; returns the first status that is not Ok. */
function writeRange(from: u32, to: u32, step: u32): StorageStatus {
  for (let at = from; at < to; at += step) {
    const status = slotWriterWrite(image + at, min(step, to - at));
    if (status != StorageStatus.Ok) return status;
  }
  return StorageStatus.Ok;
}

/** True when the slot holds image[0, size) followed by erased padding up to the alignment. */
function slotHoldsImage(slot: i32, size: u32, align: u32, erased: u8): bool {
  for (let i: u32 = 0; i < size; i++) {
    if (flashPeek(slot, i) != load<u8>(image + i)) return false;
  }
  for (let i = size; i < alignUp(size, align); i++) {
    if (flashPeek(slot, i) != erased) return false;
  }
  return true;
}

describe("slot writer: images over every write alignment, erased value and chunking", () => {
  it("writes, pads and verifies the read-back digest", () => {
    const aligns: u32[] = [1, 4, 8, 16];
    const steps: u32[] = [1, 7, 64, 1000, 4096];
    const size: u32 = 5003;
    fillPattern(image, size, 3);
    digestOf(image, size, expected);
    for (let a = 0; a < aligns.length; a++) {
      for (let e = 0; e < 2; e++) {
        const erased: u8 = e == 0 ? 0xff : 0x00;
        for (let s = 0; s < steps.length; s++) {
          flashSetup(16384, 4096, 8192, 1024, aligns[a], erased, 0);
          expect<i32>(slotWriterBegin(Area.SlotB, size, expected, 0)).toBe(StorageStatus.Ok);
          expect<i32>(writeRange(0, size, steps[s])).toBe(StorageStatus.Ok);
          expect<u32>(slotWriterOffset()).toBe(size);
          expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
          expect<bool>(slotWriterIsOpen()).toBe(false);
          expect<i32>(memory.compare(slotWriterDigest(), expected, 32)).toBe(0);
          expect<bool>(slotHoldsImage(Area.SlotB, size, aligns[a], erased)).toBe(true);
          expect<i32>(flashErases()).toBe(5, "erases exactly the sectors the image needs, one each");
        }
      }
    }
  });

  it("buffers at most one write unit: an aligned chunk costs one write, not one per byte", () => {
    flashSetup(16384, 4096, 8192, 4096, 8, 0xff, 0);
    fillPattern(image, 4096, 1);
    expect<i32>(slotWriterBegin(Area.SlotA, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterWrite(image, 3)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(0, "3 bytes wait for a whole 8-byte unit");
    expect<i32>(slotWriterWrite(image + 3, 4093)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(3, "erase, the completed unit, then the aligned rest in one write");
    expect<u32>(slotWriterDurableLength()).toBe(4096);
  });

  it("keeps the slot's old image until the first byte arrives", () => {
    flashSetup(16384, 4096, 8192, 4096, 4, 0xff, 0);
    expect<i32>(slotWriterBegin(Area.SlotA, 100, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(flashOperations()).toBe(0);
  });
});

describe("slot writer: size and digest checks", () => {
  it("reports a short image with both numbers and stays open for the rest", () => {
    flashSetup(16384, 4096, 8192, 1024, 4, 0xff, 0);
    fillPattern(image, 100, 9);
    digestOf(image, 100, expected);
    expect<i32>(slotWriterBegin(Area.SlotA, 100, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 90, 30)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.SizeMismatch);
    expect<u32>(slotWriterOffset()).toBe(90);
    expect<u32>(slotWriterExpectedSize()).toBe(100);
    expect<bool>(slotWriterIsOpen()).toBe(true);
    expect<i32>(writeRange(90, 100, 10)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
  });

  it("refuses bytes past the expected size and leaves the offset", () => {
    flashSetup(16384, 4096, 8192, 1024, 4, 0xff, 0);
    expect<i32>(slotWriterBegin(Area.SlotA, 100, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 96, 96)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterWrite(image, 5)).toBe(StorageStatus.SizeExceeded);
    expect<u32>(slotWriterOffset()).toBe(96);
  });

  it("refuses an image larger than the slot, an area that is not a slot, and writes without begin", () => {
    flashSetup(16384, 4096, 8192, 1024, 4, 0xff, 0);
    expect<i32>(slotWriterBegin(Area.SlotA, 8193, 0, 0)).toBe(StorageStatus.ImageTooLarge);
    expect<i32>(slotWriterBegin(Area.BootRecord, 100, 0, 0)).toBe(StorageStatus.NotASlot);
    expect<i32>(slotWriterWrite(image, 1)).toBe(StorageStatus.WrongState);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.WrongState);
    expect<i32>(slotWriterBegin(Area.SlotA, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 8192, 4096)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterWrite(image, 1)).toBe(StorageStatus.SizeExceeded, "an unknown size is bounded by the slot");
  });

  it("reports a digest mismatch and closes", () => {
    flashSetup(16384, 4096, 8192, 1024, 8, 0x00, 0);
    fillPattern(image, 300, 4);
    digestOf(image, 300, expected);
    memory.copy(wrongDigest, expected, 32);
    store<u8>(wrongDigest + 31, load<u8>(wrongDigest + 31) ^ 1);
    expect<i32>(slotWriterBegin(Area.SlotB, 300, wrongDigest, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 300, 50)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.DigestMismatch);
    expect<bool>(slotWriterIsOpen()).toBe(false);
    expect<i32>(memory.compare(slotWriterDigest(), expected, 32)).toBe(0, "the digest of what is in flash");
  });

  it("hashes what reads back from flash, not what arrived", () => {
    // AND-programming flash with a stuck byte: the write "succeeds" but reads back different.
    flashSetup(16384, 4096, 8192, 1024, 4, 0xff, 1);
    fillPattern(image, 64, 2);
    expect<i32>(slotWriterBegin(Area.SlotA, 64, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 32, 32)).toBe(StorageStatus.Ok);
    flashPoke(Area.SlotA, 40, 0x00);
    const before = slotWriterOffset();
    expect<i32>(slotWriterWrite(image + 32, 32)).toBe(StorageStatus.ReadBackMismatch);
    expect<u32>(slotWriterOffset()).toBe(before);
  });
});

describe("slot writer: a failed call leaves the writer unchanged", () => {
  it("after a failed erase or write, retrying the same bytes gives the same image", () => {
    flashSetup(16384, 4096, 8192, 256, 4, 0xff, 0);
    const size: u32 = 1500;
    fillPattern(image, size, 5);
    digestOf(image, size, expected);
    expect<i32>(slotWriterBegin(Area.SlotA, size, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 103, 103)).toBe(StorageStatus.Ok);
    flashFailAt(0, -4);
    expect<i32>(slotWriterWrite(image + 103, 500)).toBe(StorageStatus.FlashNotErased, "the host's code is named");
    // This chunk needs four operations (the unit completing the pending bytes, two erases,
    // one write); fail each in turn. A retry skips what an earlier try already programmed.
    let failures = 0;
    let status = StorageStatus.FlashDeviceError;
    for (let failing = 0; status != StorageStatus.Ok && failing < 8; failing++) {
      flashFailAt(failing, -5);
      status = slotWriterWrite(image + 103, 500);
      if (status == StorageStatus.Ok) break;
      failures++;
      expect<i32>(status).toBe(StorageStatus.FlashDeviceError);
      expect<u32>(slotWriterOffset()).toBe(103);
      expect<u32>(slotWriterDurableLength()).toBe(100);
    }
    expect<i32>(status).toBe(StorageStatus.Ok);
    expect<i32>(failures).toBeGreaterThanOrEqual(3);
    flashFailAt(-1, 0); // disarm the failure the successful try did not reach
    expect<i32>(writeRange(603, size, 500)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok, "the hash state was restored too");
  });

  it("a failed tail write leaves finish retryable", () => {
    flashSetup(16384, 4096, 8192, 256, 16, 0x00, 0);
    fillPattern(image, 37, 8);
    digestOf(image, 37, expected);
    expect<i32>(slotWriterBegin(Area.SlotB, 37, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 37, 37)).toBe(StorageStatus.Ok);
    flashFailAt(0, -5);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.FlashDeviceError);
    expect<bool>(slotWriterIsOpen()).toBe(true);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
    expect<bool>(slotHoldsImage(Area.SlotB, 37, 16, 0x00)).toBe(true);
  });
});

describe("slot writer: resume", () => {
  it("continues from a journaled length in the middle of a sector", () => {
    flashSetup(16384, 4096, 8192, 1024, 8, 0xff, 0);
    const size: u32 = 6000;
    fillPattern(image, size, 6);
    digestOf(image, size, expected);
    expect<i32>(slotWriterBegin(Area.SlotA, size, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 2501, 500)).toBe(StorageStatus.Ok);
    const durable = slotWriterDurableLength();
    expect<u32>(durable).toBe(2496);
    // Reset: a new writer resumes from the journaled length.
    expect<i32>(slotWriterBegin(Area.SlotA, size, expected, durable)).toBe(StorageStatus.Ok);
    expect<u32>(slotWriterOffset()).toBe(2496);
    const erasesBefore = flashErases();
    expect<i32>(writeRange(2496, size, 700)).toBe(StorageStatus.Ok);
    expect<i32>(flashErases() - erasesBefore).toBe(3, "the resumed sector is not erased again");
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
  });

  it("goes back to the sector start when bytes after the resume point were written", () => {
    flashSetup(16384, 4096, 8192, 1024, 4, 0x00, 0);
    const size: u32 = 4000;
    fillPattern(image, size, 7);
    digestOf(image, size, expected);
    expect<i32>(slotWriterBegin(Area.SlotB, size, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 3000, 1000)).toBe(StorageStatus.Ok);
    // The journal saved 1500, then more was written before the reset.
    expect<i32>(slotWriterBegin(Area.SlotB, size, expected, 1500)).toBe(StorageStatus.Ok);
    expect<u32>(slotWriterOffset()).toBe(1024);
    expect<i32>(writeRange(1024, size, 999)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
  });

  it("rounds the resume point down to the write alignment and refuses one past the size", () => {
    flashSetup(16384, 4096, 8192, 1024, 16, 0xff, 0);
    expect<i32>(slotWriterBegin(Area.SlotA, 2000, 0, 1003)).toBe(StorageStatus.Ok);
    expect<u32>(slotWriterOffset()).toBe(992);
    expect<i32>(slotWriterBegin(Area.SlotA, 2000, 0, 2001)).toBe(StorageStatus.ResumeBeyondSize);
    expect<bool>(slotWriterIsOpen()).toBe(false);
  });

  it("completes after power cuts at every flash operation (before, after, torn)", () => {
    const size: u32 = 3000;
    fillPattern(image, size, 11);
    digestOf(image, size, expected);
    // A clean run to count the operations.
    flashSetup(16384, 4096, 4096, 512, 8, 0xff, 0);
    expect<i32>(slotWriterBegin(Area.SlotA, size, expected, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, size, 256)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
    const operations = flashOperations();
    for (let kind = 0; kind < 3; kind++) {
      for (let cut = 0; cut < operations; cut++) {
        flashSetup(16384, 4096, 4096, 512, 8, 0xff, 0);
        fillPattern(other, 4096, 99);
        flashCut(cut, kind, -1);
        let journaled: u32 = 0;
        expect<i32>(slotWriterBegin(Area.SlotA, size, expected, 0)).toBe(StorageStatus.Ok);
        let status = StorageStatus.Ok;
        for (let at: u32 = 0; at < size && status == StorageStatus.Ok; at += 256) {
          status = slotWriterWrite(image + at, min<u32>(256, size - at));
          if (status == StorageStatus.Ok) journaled = slotWriterDurableLength();
        }
        if (status == StorageStatus.Ok) status = slotWriterFinish();
        if (status == StorageStatus.Ok) continue; // the cut hit an operation after the last one
        expect<i32>(status).toBe(StorageStatus.FlashDeviceError);
        // Reboot: resume from what the journal holds, finish the download.
        expect<i32>(slotWriterBegin(Area.SlotA, size, expected, journaled)).toBe(StorageStatus.Ok);
        expect<i32>(writeRange(slotWriterOffset(), size, 256)).toBe(StorageStatus.Ok);
        expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
        expect<bool>(slotHoldsImage(Area.SlotA, size, 8, 0xff)).toBe(true);
      }
    }
  });
});

/** The SHA-256 of the slot's first `len` bytes as flash holds them, into `out`. */
function slotDigest(slot: i32, len: u32, out: usize): void {
  for (let i: u32 = 0; i < len; i++) store<u8>(slotBytes + i, flashPeek(slot, i));
  digestOf(slotBytes, len, out);
}

describe("slot writer: images of several files", () => {
  it("gives each file the digest of its own bytes and the image the digest of the slot, gap included, reading nothing twice", () => {
    flashSetup(16384, 4096, 8192, 1024, 8, 0xff, 0);
    const first: u32 = 1500;
    const second: u32 = 2001;
    fillPattern(image, first, 1);
    fillPattern(image + 2048, second, 2);
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, first, 333)).toBe(StorageStatus.Ok);
    // The next file starts on the next sector boundary.
    expect<i32>(slotWriterEndFile(2048, fileDigest)).toBe(StorageStatus.Ok);
    digestOf(image, first, expected);
    expect<i32>(memory.compare(fileDigest, expected, 32)).toBe(0, "file 1: its own bytes, no padding");
    expect<u32>(slotWriterOffset()).toBe(2048);
    expect<i32>(writeRange(2048, 2048 + second, 500)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterEndFile(alignUp(2048 + second, 8), fileDigest)).toBe(StorageStatus.Ok);
    digestOf(image + 2048, second, expected);
    expect<i32>(memory.compare(fileDigest, expected, 32)).toBe(0, "file 2: its own bytes");
    expect<i32>(slotWriterFinish()).toBe(StorageStatus.Ok);
    slotDigest(Area.SlotB, alignUp(2048 + second, 8), expected);
    expect<i32>(memory.compare(slotWriterDigest(), expected, 32)).toBe(0, "the image: the slot's bytes as the bootloader reads them");
  });

  it("resuming inside a later file rebuilds that file's digest from its start", () => {
    flashSetup(16384, 4096, 8192, 1024, 4, 0x00, 0);
    fillPattern(image, 1024, 3);
    fillPattern(image + 1024, 3000, 4);
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 1024, 1024)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterEndFile(1024, fileDigest)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(1024, 2500, 700)).toBe(StorageStatus.Ok);
    // Reset: a new writer resumes file 2 (which began at 1024) from its durable length.
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, slotWriterDurableLength(), 1024)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(slotWriterOffset(), 4024, 900)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterEndFile(4024, fileDigest)).toBe(StorageStatus.Ok);
    digestOf(image + 1024, 3000, expected);
    expect<i32>(memory.compare(fileDigest, expected, 32)).toBe(0);
  });

  it("a failed tail write leaves the file open and its digest unwritten; the retry succeeds", () => {
    flashSetup(16384, 4096, 8192, 256, 16, 0xff, 0);
    fillPattern(image, 37, 5);
    memory.fill(fileDigest, 0xaa, 32);
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 37, 37)).toBe(StorageStatus.Ok);
    flashFailAt(0, -5);
    expect<i32>(slotWriterEndFile(256, fileDigest)).toBe(StorageStatus.FlashDeviceError);
    expect<u32>(slotWriterOffset()).toBe(37);
    expect<u8>(load<u8>(fileDigest)).toBe(0xaa, "no digest from a failed call");
    expect<i32>(slotWriterEndFile(256, fileDigest)).toBe(StorageStatus.Ok);
    digestOf(image, 37, expected);
    expect<i32>(memory.compare(fileDigest, expected, 32)).toBe(0);
    expect<u32>(slotWriterOffset()).toBe(256);
  });

  it("ends a file whose unprogrammed tail starts a new sector, at every residue, alignment and erased value", () => {
    // The tail of a file ending 1 to align-1 bytes into a sector waits in RAM, so that sector
    // is not erased yet when the file ends: the next file's start must count it. Counts the
    // failures instead of one expect per case: the spec heap is never freed.
    const aligns: u32[] = [1, 4, 8, 16];
    const sector: u32 = 256;
    let failures = 0;
    let firstFailure: u32 = 0xffffffff;
    for (let a = 0; a < aligns.length; a++) {
      for (let e = 0; e < 2; e++) {
        for (let residue: u32 = 0; residue < sector; residue++) {
          flashSetup(16384, 4096, 8192, sector, aligns[a], e == 0 ? 0xff : 0x00, 0);
          const first = sector + residue;
          const second: u32 = residue == 0 ? 1 : residue;
          const nextStart = alignUp(first, sector);
          fillPattern(image, first, residue);
          fillPattern(image + nextStart, second, residue + 1);
          let ok = slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0) == StorageStatus.Ok;
          ok = ok && writeRange(0, first, 100) == StorageStatus.Ok;
          ok = ok && slotWriterEndFile(nextStart, fileDigest) == StorageStatus.Ok;
          digestOf(image, first, expected);
          ok = ok && memory.compare(fileDigest, expected, 32) == 0;
          ok = ok && writeRange(nextStart, nextStart + second, 100) == StorageStatus.Ok;
          ok = ok && slotWriterEndFile(alignUp(nextStart + second, aligns[a]), fileDigest) == StorageStatus.Ok;
          digestOf(image + nextStart, second, expected);
          ok = ok && memory.compare(fileDigest, expected, 32) == 0;
          ok = ok && slotWriterFinish() == StorageStatus.Ok;
          for (let i: u32 = 0; ok && i < first; i++) ok = flashPeek(Area.SlotB, i) == load<u8>(image + i);
          if (!ok) {
            if (failures == 0) firstFailure = aligns[a] * 100000 + <u32>e * 10000 + residue;
            failures++;
          }
        }
      }
    }
    expect<u32>(firstFailure).toBe(0xffffffff, "first failing case: align * 100000 + erased00 * 10000 + residue");
    expect<i32>(failures).toBe(0);
  });

  it("gives the digest the current file would have if it ended now, pending tail included, changing nothing", () => {
    flashSetup(16384, 4096, 8192, 1024, 8, 0xff, 0);
    fillPattern(image, 1500, 7);
    fillPattern(image + 2048, 1003, 8);
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 1500, 333)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterEndFile(2048, fileDigest)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(2048, 2048 + 1003, 100)).toBe(StorageStatus.Ok);
    const operations = flashOperations();
    slotWriterFileDigestSoFar(wrongDigest);
    digestOf(image + 2048, 1003, expected);
    expect<i32>(memory.compare(wrongDigest, expected, 32)).toBe(0, "file 2 so far: 1003 bytes, 3 of them still pending");
    expect<i32>(flashOperations()).toBe(operations, "no flash operation");
    expect<u32>(slotWriterOffset()).toBe(2048 + 1003);
    expect<i32>(slotWriterEndFile(alignUp(2048 + 1003, 8), fileDigest)).toBe(StorageStatus.Ok);
    expect<i32>(memory.compare(fileDigest, expected, 32)).toBe(0, "ending the file gives the same digest");
  });

  it("refuses a next file start inside the file or past the erased sectors", () => {
    flashSetup(16384, 4096, 8192, 1024, 8, 0xff, 0);
    fillPattern(image, 100, 6);
    expect<i32>(slotWriterBegin(Area.SlotB, SIZE_UNKNOWN, 0, 0)).toBe(StorageStatus.Ok);
    expect<i32>(writeRange(0, 100, 100)).toBe(StorageStatus.Ok);
    expect<i32>(slotWriterEndFile(96, fileDigest)).toBe(StorageStatus.SizeExceeded);
    expect<i32>(slotWriterEndFile(2048, fileDigest)).toBe(StorageStatus.SizeExceeded);
    expect<u32>(slotWriterOffset()).toBe(100);
  });
});
