// The boot decision exists twice: in the agent (bootloader_decide, used by firmware-sim's
// emulated bootloader) and in the C bootloader (host/boot, run here through its
// boot-decide CLI). Over many random flash states, boot after boot, both must pick the
// same slot and leave byte-identical flash behind.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import {
  type BootRecord, SlotState, encodeRecord, placeRecordCopy, readBootRecord, recordLayout, sha256, slotMatches,
} from "../../firmware-sim/flash/boot-record.ts";
import { type AreaGeometry, type ErasedValue, NorFlash, seededRandom } from "../../firmware-sim/flash/nor-flash.ts";
import { runBootloader } from "../../firmware-sim/device/bootloader.ts";
import { areaArguments, compileBootDecide } from "../../firmware-sim/powercut/c-boot-decide.ts";

const agentPath = fileURLToPath(new URL("../../build/agent.wasm", import.meta.url));

let work: string;
let bootDecide: string;
let agentModule: WebAssembly.Module;

before(() => {
  work = mkdtempSync(join(tmpdir(), "boot-decision-"));
  bootDecide = join(work, "boot-decide");
  compileBootDecide(bootDecide);
  assert.ok(existsSync(agentPath), "build/agent.wasm is missing: run npm run build:agent");
  agentModule = new WebAssembly.Module(readFileSync(agentPath));
});

after(() => rmSync(work, { recursive: true, force: true }));

/** The C bootloader's decision over the same flash, applied to an image file. */
function cDecide(flash: NorFlash): { slot: number; line: string; image: Uint8Array } {
  const file = join(work, "flash.bin");
  writeFileSync(file, flash.image());
  const line = execFileSync(bootDecide, ["--apply", file, ...areaArguments(flash.imageLayout())], { encoding: "utf8" }).trim();
  const slot = { none: 0, A: 1, B: 2 }[/^slot=(none|A|B) /.exec(line)?.[1] ?? ""];
  assert.ok(slot !== undefined, `boot-decide printed '${line}'`);
  return { slot, line, image: new Uint8Array(readFileSync(file)) };
}

/** firmware-sim's seeded generator, as numbers in [0, 1). */
function seeded(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() / 2 ** 32;
}

interface Geometry { record: [number, number]; slot: [number, number]; align: number; erased: ErasedValue }
const geometries: Geometry[] = [
  { record: [16384, 4096], slot: [8192, 4096], align: 4, erased: 0xff },
  { record: [2048, 256], slot: [4096, 256], align: 1, erased: 0x00 },
  { record: [1024, 128], slot: [4096, 128], align: 32, erased: 0xff },
  { record: [4096, 512], slot: [2048, 512], align: 16, erased: 0x00 },
];

function device(g: Geometry): NorFlash {
  const area = ([size, sectorSize]: [number, number]): AreaGeometry => ({ size, sectorSize, writeAlign: g.align, erasedValue: g.erased });
  return new NorFlash({ areas: [area(g.record), area(g.slot), area(g.slot)] });
}

/** A random flash state: images, and two copies each valid, damaged, torn, absent or garbage. */
function randomState(random: () => number): NorFlash {
  const g = geometries[Math.floor(random() * geometries.length)];
  const flash = device(g);
  const pick = <T>(...options: T[]): T => options[Math.floor(random() * options.length)];
  const imageSizes = [1, 2].map((slot) => {
    const bytes = flash.bytes(slot);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    return 1 + Math.floor(random() * bytes.length);
  });
  const entry = (slot: number) => {
    const size = pick(imageSizes[slot - 1], imageSizes[slot - 1], imageSizes[slot - 1], 0, imageSizes[slot - 1] + 1);
    const digest = random() < 0.8 && size <= flash.bytes(slot).length
      ? sha256(flash.bytes(slot).subarray(0, size))
      : sha256(Uint8Array.of(Math.floor(random() * 256)));
    return { state: pick(SlotState.Empty, SlotState.Confirmed, SlotState.Confirmed, SlotState.Trial, SlotState.Trial, SlotState.Failed), size, digest, version: pick("", "1.0.0", "2.0.0-rc.1") };
  };
  const record = (): BootRecord => {
    const active = pick(1, 2);
    return {
      sequence: pick(1, 2, 0xfffffffe, 0xffffffff, 0, Math.floor(random() * 2 ** 32)),
      active,
      trial: pick(0, 3 - active, 3 - active, active),
      attempts: pick(0, 1, 2, 3),
      booted: random() < 0.5,
      slots: [entry(1), entry(2)],
    };
  };
  const first = record();
  const second = { ...record(), sequence: (first.sequence + pick(1, -1, 0, 2)) >>> 0 };
  const { payload, marker, copySpan } = recordLayout(flash.areas[0]);
  [first, second].forEach((r, copy) => {
    const kind = pick("valid", "valid", "valid", "absent", "damaged", "torn", "garbage");
    if (kind === "absent") return;
    placeRecordCopy(flash, copy, r);
    const bytes = flash.bytes(0);
    const base = copy * copySpan;
    if (kind === "damaged") bytes[base + Math.floor(random() * (payload + marker))] ^= 1 << Math.floor(random() * 8);
    if (kind === "torn") bytes.fill(flash.areas[0].erasedValue, base + payload + Math.floor(random() * 8), base + payload + marker);
    if (kind === "garbage") for (let i = 0; i < copySpan; i++) bytes[base + i] = Math.floor(random() * 256);
  });
  return flash;
}

describe("boot decision: the agent and the C bootloader agree", () => {
  it("pick the same slot and write the same record over 200 random states, three boots each", () => {
    const random = seeded(20240611);
    const rules = new Set<string>();
    for (let state = 0; state < 200; state++) {
      const flash = randomState(random);
      for (let boot = 0; boot < 3; boot++) {
        const c = cDecide(flash);
        const slot = runBootloader(agentModule, flash);
        assert.equal(slot, c.slot, `state ${state} boot ${boot}: agent chose ${slot}, C '${c.line}'`);
        assert.deepEqual(flash.image(), c.image, `state ${state} boot ${boot}: flash differs after '${c.line}'`);
        rules.add(/rule=(\S+)/.exec(c.line)![1]);
        // Whatever the state, a slot that is booted matches its recorded image.
        const record = readBootRecord(flash);
        if (slot !== 0 && record) assert.ok(slotMatches(flash, slot, record.slots[slot - 1]), `state ${state}: booted slot ${slot} does not match its record`);
      }
    }
    assert.deepEqual([...rules].sort(), ["active", "no-record", "nothing-bootable", "other-confirmed", "trial-boot"]);
  });

  it("walk a trial through its attempts to the fallback identically", () => {
    for (const g of geometries) {
      const flash = device(g);
      const a = flash.bytes(1).subarray(0, 700).map((_, i) => i * 7);
      const b = flash.bytes(2).subarray(0, 900).map((_, i) => i * 11);
      flash.bytes(1).set(a);
      flash.bytes(2).set(b);
      placeRecordCopy(flash, 0, {
        sequence: 7, active: 1, trial: 2, attempts: 2, booted: false,
        slots: [
          { state: SlotState.Confirmed, size: 700, digest: sha256(a), version: "1.0.0" },
          { state: SlotState.Trial, size: 900, digest: sha256(b), version: "1.1.0" },
        ],
      });
      const lines = [0, 1, 2, 3].map(() => {
        const c = cDecide(flash);
        assert.equal(runBootloader(agentModule, flash), c.slot);
        assert.deepEqual(flash.image(), c.image);
        return c.line;
      });
      assert.deepEqual(lines, [
        "slot=B rule=trial-boot trial-failed=no record=written sequence=8",
        "slot=B rule=trial-boot trial-failed=no record=written sequence=9",
        "slot=A rule=active trial-failed=yes record=written sequence=10",
        "slot=A rule=active trial-failed=no record=unchanged",
      ]);
      const record = readBootRecord(flash)!;
      assert.equal(record.slots[1].state, SlotState.Failed);
      assert.equal(record.trial, 0);
    }
  });

  it("the TypeScript reading of the format matches what both wrote", () => {
    const g = geometries[0];
    const flash = device(g);
    const record: BootRecord = {
      sequence: 41, active: 2, trial: 0, attempts: 0, booted: false,
      slots: [
        { state: SlotState.Failed, size: 5, digest: new Uint8Array(32), version: "" },
        { state: SlotState.Confirmed, size: 3, digest: sha256(Uint8Array.of(1, 2, 3)), version: "9.9.9" },
      ],
    };
    flash.bytes(2).set([1, 2, 3]);
    placeRecordCopy(flash, 1, record);
    assert.deepEqual(readBootRecord(flash), { ...record, copy: 1 });
    assert.equal(encodeRecord(record, flash.areas[0]).length, recordLayout(flash.areas[0]).payload + 8);
    assert.equal(runBootloader(agentModule, flash), 2);
  });
});

describe("boot-decide CLI", () => {
  it("prints one line and exits 1 on bad arguments", () => {
    const usage = spawnSync(bootDecide, ["image.bin"], { encoding: "utf8" });
    assert.equal(usage.status, 1);
    assert.match(usage.stderr, /^boot-decide: usage: /);
    assert.equal(usage.stderr.trim().split("\n").length, 1);
    const file = join(work, "small.bin");
    writeFileSync(file, new Uint8Array(1024));
    const pastEnd = spawnSync(bootDecide, [file, "0:16384:4096:4:0xff", "16384:8192:4096:4:0xff", "24576:8192:4096:4:0xff"], { encoding: "utf8" });
    assert.equal(pastEnd.status, 1);
    assert.equal(pastEnd.stderr.trim(), "boot-decide: record area: runs past the end of the image file");
    const badArea = spawnSync(bootDecide, [file, "0:16384:4096", "0:1:1:1:0", "0:1:1:1:0"], { encoding: "utf8" });
    assert.equal(badArea.stderr.trim(), "boot-decide: record area: expected offset:size:sector:align:erased");
  });

  it("--batch decides each image from stdin as --apply does, adding the flash digest after", () => {
    // A batch shares one geometry: the random states of the first one.
    const random = seeded(99);
    const flashes = Array.from({ length: 40 }, () => randomState(random)).filter((f) => f.areas[0].size === geometries[0].record[0]);
    assert.ok(flashes.length >= 3, `${flashes.length} states of the first geometry`);
    const args = areaArguments(flashes[0].imageLayout());
    const batch = spawnSync(bootDecide, ["--batch", ...args], { input: Buffer.concat(flashes.map((f) => f.image())), encoding: "utf8" });
    assert.equal(batch.status, 0, batch.stderr);
    const lines = batch.stdout.trim().split("\n");
    assert.equal(lines.length, flashes.length);
    flashes.forEach((flash, i) => {
      const single = cDecide(flash);
      assert.equal(lines[i], `${single.line} flash=${sha256(single.image).reduce((hex, b) => hex + b.toString(16).padStart(2, "0"), "")}`);
    });
    const truncated = spawnSync(bootDecide, ["--batch", ...args], { input: flashes[0].image().subarray(1), encoding: "utf8" });
    assert.equal(truncated.status, 1);
    assert.equal(truncated.stderr, "boot-decide: batch: stdin ended inside an image\n");
  });

  it("exits 2 naming a geometry it cannot use", () => {
    const file = join(work, "geometry.bin");
    writeFileSync(file, new Uint8Array(32768));
    const result = spawnSync(bootDecide, [file, "0:16384:4096:3:0xff", "16384:8192:4096:4:0xff", "24576:8192:4096:4:0xff"], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim(), "boot-decide: decision failed: write alignment is not a power of two up to 32");
  });
});
