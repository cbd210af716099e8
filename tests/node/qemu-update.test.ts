// A real firmware update on the QEMU mps2-an386 board: the bootloader image at 0x0 starts the
// application linked for the chosen slot, applications run in place from their slots, the
// flash is a file that outlives resets and QEMU runs, and the board reaches the Murano emulator
// only through its UART and the bridge (firmware-sim/bridge). A good 2.0.0 runs from slot B and
// stays; three faulty 2.0.0 builds (never confirms, hard-faults, hangs) end back on 1.0.0; a
// build linked for the other slot is refused, and a release with a build per slot takes the
// device from A to B and back; and power is pulled at random instants of an update. The images: boards/qemu-mps2-an386/Makefile
// (`make images`).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { OtauInDocument } from "../../firmware-sim/murano/otau-documents.ts";
import { powerKillUpdate, seededFraction } from "../../firmware-sim/bridge/powerkill-run.ts";
import { buildBoardImages, QemuUpdateRig, type QemuDevice } from "../../firmware-sim/bridge/qemu-update-rig.ts";

const BOOT_MS = 60_000;
const UPDATE_MS = 120_000;
const rig = new QemuUpdateRig();
const packages: Record<string, string> = {};

before(async () => {
  buildBoardImages();
  await rig.start();
  // app-1.9.0-B is a mislabelled release: published as 2.0.0, it says 1.9.0 when it runs.
  for (const name of ["app-2.0.0-B", "app-2.0.0-B-noconfirm", "app-2.0.0-B-fault", "app-2.0.0-B-hang", "app-1.9.0-B", "app-2.0.0-A"]) {
    packages[name] = rig.publish(name, "2.0.0");
  }
  packages["2.0.0 per slot"] = rig.publishSlots("2.0.0", { A: "app-2.0.0-A", B: "app-2.0.0-B" });
  packages["3.0.0 per slot"] = rig.publishSlots("3.0.0", { A: "app-3.0.0-A", B: "app-3.0.0-B" });
});
after(() => rig.stop());

const is = (status: string, version: string) => (s: OtauInDocument): boolean => s.status === status && s.version === version;

/** A device on 1.0.0 from slot A whose boot report the cloud has heard. */
async function factoryDevice(identity: string): Promise<QemuDevice> {
  const device = await rig.device(identity);
  const board = device.powerOn();
  await board.waitForLine(/^app 1\.0\.0 running from slot A$/, BOOT_MS);
  await device.waitForStatus(is("INSTALLED_VERSION", "1.0.0"), BOOT_MS);
  return device;
}

// Each device has its own QEMU, bridge and flash file: they run side by side (most of a run is
// the UART's pace, not the CPU's; under -icount the boards' clocks count instructions, so a
// busy host slows them without tripping a watchdog or a timeout).
describe("QEMU board: firmware update through the UART bridge", { concurrency: true }, () => {
  it("updates 1.0.0 -> 2.0.0: 2.0.0 runs from slot B, is confirmed, and runs from slot B again after a reset", async () => {
    const device = await factoryDevice("qemu-good");
    device.apply(packages["app-2.0.0-B"]);
    await device.waitForStatus(is("INSTALL_SUCCESS", "2.0.0"), UPDATE_MS);
    await device.waitForStatus(is("INSTALLED_VERSION", "2.0.0"), BOOT_MS);
    assert.ok(device.console.includes("bootloader: slot B (trial-boot)"), "the new image started on trial");
    assert.ok(device.console.includes("app: health check passed (agent started, cloud answered); confirming"));

    const reported = device.statuses().length;
    await device.powerOff();
    const again = device.powerOn();
    await again.waitForLine(/^app 2\.0\.0 running from slot B$/, BOOT_MS);
    await device.waitForStatus(is("INSTALLED_VERSION", "2.0.0"), BOOT_MS, reported);
    assert.ok(again.lines.includes("bootloader: slot B (active)"), `after the reset: ${again.lines.slice(0, 3).join(" | ")}`);
    assert.deepEqual(device.appLines(), [
      "app 1.0.0 running from slot A", "app 2.0.0 running from slot B", "app 2.0.0 running from slot B",
    ]);
    const statuses = device.statuses().map((s) => s.status);
    for (const status of ["INIT", "DOWNLOAD", "DOWNLOAD_SUCCESS", "INSTALL_STEP", "INSTALL_SUCCESS"]) {
      assert.ok(statuses.includes(status as never), `the cloud heard ${status}`);
    }
    assert.ok(!statuses.includes("INSTALL_ERROR" as never) && !statuses.includes("DOWNLOAD_ERROR" as never));
    assert.deepEqual(device.bridge.errors, []);
  });

  const defects = [
    { name: "noconfirm", what: "never confirms and resets", sign: "app: defect: never confirming this build; resetting" },
    { name: "fault", what: "hard-faults at start", sign: "app: fault (CFSR 0x00010000); resetting" },
    { name: "hang", what: "hangs until the watchdog resets it", sign: "app: watchdog expired; waiting for its reset" },
  ];
  for (const defect of defects) {
    it(`rolls back a 2.0.0 that ${defect.what}: three trial boots, then 1.0.0 from slot A; the cloud hears INSTALL_ERROR 2.0.0 and INSTALLED_VERSION 1.0.0`, async () => {
      const device = await factoryDevice(`qemu-${defect.name}`);
      device.apply(packages[`app-2.0.0-B-${defect.name}`]);
      await device.waitForStatus(is("INSTALL_STEP", "2.0.0"), UPDATE_MS);
      const failed = await device.waitForStatus(is("INSTALL_ERROR", "2.0.0"), UPDATE_MS);
      assert.match(failed.message ?? "", /^version 2\.0\.0 was not confirmed healthy within 3 boots; rolled back to 1\.0\.0$/);
      const at = device.statuses().findIndex(is("INSTALL_ERROR", "2.0.0"));
      await device.waitForStatus(is("INSTALLED_VERSION", "1.0.0"), BOOT_MS, at);
      assert.deepEqual(device.appLines(), [
        "app 1.0.0 running from slot A",
        "app 2.0.0 running from slot B", "app 2.0.0 running from slot B", "app 2.0.0 running from slot B",
        "app 1.0.0 running from slot A",
      ]);
      assert.equal(device.console.filter((line) => line === defect.sign).length, 3, `each trial boot ends with "${defect.sign}"`);
      assert.deepEqual(device.console.filter((line) => line.startsWith("bootloader: ")), [
        "bootloader: slot A (no-record)",
        "bootloader: slot B (trial-boot)", "bootloader: slot B (trial-boot)", "bootloader: slot B (trial-boot)",
        "bootloader: slot A (active)",
      ]);
      assert.equal(device.console.filter((line) => line === "--- power on").length, 1, "one QEMU run: faults reset the machine");
    });
  }

  it("never confirms a 2.0.0 package whose image runs as 1.9.0: INSTALL_ERROR at each trial boot, then back on 1.0.0; 2.0.0 is never reported installed", async () => {
    const device = await factoryDevice("qemu-mislabelled");
    device.apply(packages["app-1.9.0-B"]);
    const rolledBack = (s: OtauInDocument): boolean => s.status === "INSTALL_ERROR" && /within 3 boots; rolled back to 1\.0\.0$/.test(s.message ?? "");
    await device.waitForStatus(rolledBack, UPDATE_MS);
    await device.waitForStatus(is("INSTALLED_VERSION", "1.0.0"), BOOT_MS, device.statuses().findIndex(rolledBack));
    assert.deepEqual(device.appLines(), [
      "app 1.0.0 running from slot A",
      "app 1.9.0 running from slot B", "app 1.9.0 running from slot B", "app 1.9.0 running from slot B",
      "app 1.0.0 running from slot A",
    ]);
    const mismatch = "the running image reports version 1.9.0, not 2.0.0 as the update installed; it will not be confirmed, resetting";
    assert.equal(device.statuses().filter((s) => s.status === "INSTALL_ERROR" && s.message === mismatch).length, 3);
    assert.ok(!device.statuses().some((s) => s.version === "2.0.0" && (s.status === "INSTALLED_VERSION" || s.status === "INSTALL_SUCCESS")));
  });

  it("refuses a build linked for the other slot at its header: DOWNLOAD_ERROR naming both addresses, and the device stays on 1.0.0 from slot A", async () => {
    const device = await factoryDevice("qemu-wrong-build");
    device.apply(packages["app-2.0.0-A"]);
    const refused = await device.waitForStatus(is("DOWNLOAD_ERROR", "2.0.0"), UPDATE_MS);
    assert.equal(refused.message,
      "image is linked to run from 0x21040000 (MCUboot IMAGE_F_ROM_FIXED), but slot B runs from 0x21080000: this is another slot's build");
    const statuses = device.statuses().map((s) => s.status);
    assert.ok(!statuses.includes("INSTALL_STEP" as never) && !statuses.includes("DOWNLOAD_SUCCESS" as never));
    assert.deepEqual(device.appLines(), ["app 1.0.0 running from slot A"], "no reset, no other image started");
  });

  it("takes the build for its target slot from a release's `slots` table: 1.0.0 on A -> 2.0.0 on B -> 3.0.0 on A", async () => {
    const device = await factoryDevice("qemu-per-slot");
    device.apply(packages["2.0.0 per slot"]);
    await device.waitForStatus(is("INSTALLED_VERSION", "2.0.0"), UPDATE_MS);
    const onB = device.statuses().length;
    device.apply(packages["3.0.0 per slot"]);
    await device.waitForStatus(is("INSTALLED_VERSION", "3.0.0"), UPDATE_MS, onB);
    assert.deepEqual(device.appLines(), [
      "app 1.0.0 running from slot A", "app 2.0.0 running from slot B", "app 3.0.0 running from slot A",
    ]);
    const steps = device.statuses().filter((s) => s.status === "TEST_STEP").map((s) => s.message);
    assert.ok(steps.includes("the config gives a build per slot; this device writes slot B and takes its build"));
    assert.ok(steps.includes("the config gives a build per slot; this device writes slot A and takes its build"));
    assert.ok(!device.statuses().some((s) => s.status === "INSTALL_ERROR" || s.status === "DOWNLOAD_ERROR"));
  });

  it("starts no image linked for the other slot: a part with slot B's build of 2.0.0 in slot A stops in the bootloader, naming both addresses", async () => {
    const device = await rig.device("qemu-wrong-slot", "app-2.0.0-B");
    const board = device.powerOn();
    const { code } = await board.exited;
    assert.equal(code, 1, "the bootloader ends the run (BOARD_EXIT_FAILED) instead of jumping");
    assert.ok(board.lines.includes("bootloader: slot A holds an image linked for 0x21080000, not 0x21040000; not starting it"),
      board.lines.join("\n"));
    assert.deepEqual(device.appLines(), []);
  });

  it("survives power pulled at up to 3 random instants of an update: every power-on starts a valid image, the update ends installed", async () => {
    const device = await factoryDevice("qemu-powerkill");
    await device.powerOff();
    const seed = Number(process.env.QEMU_POWERKILL_SEED ?? 14);
    const result = await powerKillUpdate(device, {
      packageId: packages["app-2.0.0-B"], oldVersion: "1.0.0", newVersion: "2.0.0", rollsBack: false,
      kills: 3, windowMs: 3_000, random: seededFraction(seed), settleMs: UPDATE_MS,
    });
    assert.deepEqual(result.problems, [], `seed ${seed}; killed during ${result.killedDuring.join(", ")}`);
    assert.ok(result.kills >= 1, "the power was pulled during the update at least once");
  });
});
