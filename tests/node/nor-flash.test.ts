import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  type AreaGeometry, FlashCode, FlashViolation, NorFlash, PowerLoss,
} from "../../firmware-sim/flash/nor-flash.ts";

const ff: AreaGeometry = { size: 1024, sectorSize: 256, writeAlign: 4, erasedValue: 0xff };
const zero: AreaGeometry = { size: 1024, sectorSize: 256, writeAlign: 8, erasedValue: 0x00 };

function bytes(length: number, from = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (from + i * 37) & 0xff);
}

function readBack(flash: NorFlash, area: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  assert.equal(flash.read(area, offset, length, out), FlashCode.Ok);
  return out;
}

describe("NorFlash geometry and initial state", () => {
  it("starts every area erased to its own erased value", () => {
    const flash = new NorFlash({ areas: [ff, zero] });
    assert.ok(flash.bytes(0).every((b) => b === 0xff));
    assert.ok(flash.bytes(1).every((b) => b === 0x00));
  });

  it("refuses geometries that no flash part has, naming the field", () => {
    assert.throws(() => new NorFlash({ areas: [{ ...ff, writeAlign: 3 }] }), /write alignment 3/);
    assert.throws(() => new NorFlash({ areas: [{ ...ff, sectorSize: 254 }] }), /sector size 254/);
    assert.throws(() => new NorFlash({ areas: [{ ...ff, size: 1000 }] }), /size 1000/);
    assert.throws(() => new NorFlash({ areas: [{ ...ff, erasedValue: 0x7f as 0xff }] }), /erased value 127/);
  });
});

describe("NorFlash strictness", () => {
  it("throws on a misaligned write or erase, and on a range past the area", () => {
    const flash = new NorFlash({ areas: [ff] });
    assert.throws(() => flash.write(0, 2, bytes(4)), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.Misaligned);
    assert.throws(() => flash.write(0, 0, bytes(6)), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.Misaligned);
    assert.throws(() => flash.erase(0, 128, 256), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.Misaligned);
    assert.throws(() => flash.write(0, 1024, bytes(4)), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.OutOfRange);
    assert.throws(() => flash.erase(1, 0, 256), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.NoSuchArea);
    assert.equal(flash.operations, 0, "refused calls are not flash operations");
  });

  it("refuses (strict model) to program a byte that is not erased, until its sector is erased", () => {
    const flash = new NorFlash({ areas: [ff] });
    assert.equal(flash.write(0, 8, bytes(8)), FlashCode.Ok);
    assert.throws(() => flash.write(0, 12, bytes(4)), (e: unknown) => e instanceof FlashViolation && e.code === FlashCode.NotErased);
    assert.equal(flash.erase(0, 0, 256), FlashCode.Ok);
    assert.equal(flash.write(0, 12, bytes(4)), FlashCode.Ok);
  });

  it("returns the ABI code instead of throwing when violations are 'return'", () => {
    const flash = new NorFlash({ areas: [ff], violations: "return" });
    assert.equal(flash.write(0, 2, bytes(4)), FlashCode.Misaligned);
    assert.equal(flash.write(0, 0, bytes(4)), FlashCode.Ok);
    assert.equal(flash.write(0, 0, bytes(4)), FlashCode.NotErased);
    assert.equal(flash.read(3, 0, 4, new Uint8Array(4)), FlashCode.NoSuchArea);
  });

  it("programs with NOR AND semantics when asked: bits only leave the erased value", () => {
    const flash = new NorFlash({ areas: [ff, zero], program: "and" });
    flash.write(0, 0, Uint8Array.of(0xf0, 0x0f, 0xff, 0x00));
    flash.write(0, 0, Uint8Array.of(0x3c, 0x3c, 0x3c, 0xff));
    assert.deepEqual([...readBack(flash, 0, 0, 4)], [0x30, 0x0c, 0x3c, 0x00]);
    flash.write(1, 0, Uint8Array.of(0xf0, 0x0f, 0, 0, 0, 0, 0, 0));
    flash.write(1, 0, Uint8Array.of(0x3c, 0x3c, 0, 0, 0, 0, 0, 0));
    assert.deepEqual([...readBack(flash, 1, 0, 2)], [0xfc, 0x3f]);
  });
});

describe("NorFlash counting", () => {
  it("counts writes and erases, not reads unless asked, and wear per sector", () => {
    const flash = new NorFlash({ areas: [ff], trace: true });
    flash.erase(0, 256, 512);
    flash.write(0, 256, bytes(4));
    readBack(flash, 0, 0, 16);
    assert.equal(flash.operations, 2);
    assert.deepEqual(flash.counts, { reads: 0, writes: 1, erases: 1 });
    assert.deepEqual([...flash.wear(0)], [0, 1, 1, 0]);
    assert.deepEqual(flash.trace.map((op) => `${op.index}:${op.kind}`), ["0:erase", "1:write"]);

    const counting = new NorFlash({ areas: [ff], countReads: true });
    readBack(counting, 0, 0, 16);
    assert.equal(counting.operations, 1);
    assert.equal(counting.counts.reads, 1);
  });

  it("fails the chosen operation with the chosen code and changes nothing", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.failAt(1);
    assert.equal(flash.write(0, 0, bytes(4)), FlashCode.Ok);
    assert.equal(flash.write(0, 4, bytes(4)), FlashCode.DeviceError);
    assert.ok(flash.bytes(0).subarray(4, 8).every((b) => b === 0xff));
    assert.equal(flash.write(0, 4, bytes(4)), FlashCode.Ok, "only that one operation fails");
    flash.failAt(flash.operations);
    flash.clearFailure();
    assert.equal(flash.write(0, 8, bytes(4)), FlashCode.Ok, "a cleared failure does not fire");
  });
});

describe("NorFlash power cuts", () => {
  it("'before': the operation does not happen and PowerLoss names it", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.write(0, 0, bytes(4));
    flash.cutAt({ at: 1, kind: "before" });
    assert.throws(() => flash.write(0, 4, bytes(8)), (e: unknown) =>
      e instanceof PowerLoss && e.kind === "before" && e.operation.index === 1 && e.operation.kind === "write");
    assert.ok(flash.bytes(0).subarray(4, 12).every((b) => b === 0xff));
  });

  it("'after': the operation completes, then PowerLoss is thrown", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.cutAt({ at: 0, kind: "after" });
    assert.throws(() => flash.write(0, 0, bytes(8)), PowerLoss);
    assert.deepEqual(readBack(flash, 0, 0, 8), bytes(8));
  });

  it("the cut fires once; a cut already passed is refused", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.cutAt({ at: 0, kind: "before" });
    assert.throws(() => flash.erase(0, 0, 256), PowerLoss);
    assert.equal(flash.erase(0, 0, 256), FlashCode.Ok);
    assert.throws(() => flash.cutAt({ at: 0, kind: "after" }), /next operation is 2/);
  });

  it("'torn' write: the first half of the bytes is programmed, the rest stays erased", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.cutAt({ at: 0, kind: "torn" });
    assert.throws(() => flash.write(0, 0, bytes(16)), (e: unknown) => e instanceof PowerLoss && e.kind === "torn");
    assert.deepEqual(readBack(flash, 0, 0, 8), bytes(16).subarray(0, 8));
    assert.ok(flash.bytes(0).subarray(8, 16).every((b) => b === 0xff));
  });

  it("'torn' write with tornBits: one byte gets only some of its bits", () => {
    const flash = new NorFlash({ areas: [zero] });
    const data = Uint8Array.of(0xaa, 0xbb, 0xff, 0xcc, 0, 0, 0, 0);
    flash.cutAt({ at: 0, kind: "torn", tornBytes: 2, tornBits: true, seed: 7 });
    assert.throws(() => flash.write(0, 0, data), PowerLoss);
    const cells = flash.bytes(0);
    assert.deepEqual([...cells.subarray(0, 2)], [0xaa, 0xbb]);
    assert.equal(cells[2] & ~0xff, 0);
    assert.notEqual(cells[2], 0xff, "seed 7 leaves some bits of 0xFF unprogrammed");
    assert.notEqual(cells[2], 0x00, "seed 7 programs some bits");
    assert.equal(cells[3], 0x00, "bytes after the torn one stay erased");
  });

  it("'torn' erase: half the range erased, the rest keeps its old bytes (or garbage)", () => {
    const flash = new NorFlash({ areas: [ff] });
    flash.write(0, 0, bytes(512));
    const old = flash.bytes(0).slice(0, 512);
    flash.cutAt({ at: 1, kind: "torn" });
    assert.throws(() => flash.erase(0, 0, 512), PowerLoss);
    assert.ok(flash.bytes(0).subarray(0, 256).every((b) => b === 0xff));
    assert.deepEqual(flash.bytes(0).subarray(256, 512), old.subarray(256, 512));
    assert.deepEqual([...flash.wear(0)].slice(0, 2), [1, 1], "a torn erase still wears its sectors");

    flash.write(0, 0, bytes(256));
    const before = flash.bytes(0).slice(256, 512);
    flash.cutAt({ at: 3, kind: "torn", tornErasedBytes: 128, garbage: true, seed: 3 });
    assert.throws(() => flash.erase(0, 0, 512), PowerLoss);
    assert.ok(flash.bytes(0).subarray(0, 128).every((b) => b === 0xff));
    assert.notDeepEqual(flash.bytes(0).subarray(256, 512), before, "garbage replaced the old bytes");
  });
});

describe("NorFlash snapshots, images and the agent's imports", () => {
  it("restores a snapshot exactly, wear included", () => {
    const flash = new NorFlash({ areas: [ff, zero] });
    flash.write(0, 0, bytes(4));
    const snapshot = flash.snapshot();
    flash.erase(0, 0, 1024);
    flash.write(1, 8, bytes(8));
    flash.restore(snapshot);
    assert.deepEqual(readBack(flash, 0, 0, 4), bytes(4));
    assert.ok(flash.bytes(1).every((b) => b === 0));
    assert.ok(flash.wear(0).every((w) => w === 0));
  });

  it("writes all areas back to back as an image and loads it again", () => {
    const flash = new NorFlash({ areas: [ff, zero] });
    flash.write(1, 0, bytes(8));
    const image = flash.image();
    assert.equal(image.length, 2048);
    assert.deepEqual(flash.imageLayout().map((a) => a.offset), [0, 1024]);
    const copy = new NorFlash({ areas: [ff, zero] });
    copy.loadImage(image);
    assert.deepEqual(copy.bytes(1), flash.bytes(1));
    assert.throws(() => copy.loadImage(image.subarray(1)), /2047 bytes/);
  });

  it("serves flash_info/read/write/erase over the agent's memory and checks its pointers", () => {
    const flash = new NorFlash({ areas: [ff, zero] });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const env = flash.imports(() => memory);
    const view = new DataView(memory.buffer);
    assert.equal(env.flash_info(1, 64), 0);
    assert.deepEqual([0, 4, 8, 12].map((o) => view.getUint32(64 + o, true)), [1024, 256, 8, 0]);
    assert.equal(env.flash_info(5, 64), FlashCode.NoSuchArea);

    new Uint8Array(memory.buffer).set(bytes(8), 100);
    assert.equal(env.flash_write(1, 16, 100, 8), 0);
    assert.deepEqual(flash.bytes(1).subarray(16, 24), bytes(8));
    assert.equal(env.flash_read(1, 16, 200, 8), 0);
    assert.deepEqual(new Uint8Array(memory.buffer, 200, 8), bytes(8));
    assert.equal(env.flash_erase(1, 0, 256), 0);
    assert.ok(flash.bytes(1).subarray(16, 24).every((b) => b === 0));
    assert.throws(() => env.flash_read(1, 0, 65536 - 4, 8), /outside its 65536-byte memory/);
  });
});
