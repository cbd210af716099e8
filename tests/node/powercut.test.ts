// The quick subset of the power-cut suite (the full matrix: npm run test:powercut): two
// configurations with a cut before, after and torn at every flash operation of an update
// and of a rollback, a few random multi-cut runs, and the C boot decision held to the
// agent's on every flash state a bootloader met. Then checks that the checks can fail.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { compileAgent } from "../../firmware-sim/agent/agent-instance.ts";
import { makeFirmwareImage } from "../../firmware-sim/device/firmware-image.ts";
import { placeRecordCopy, sha256, SlotState } from "../../firmware-sim/flash/boot-record.ts";
import { NorFlash } from "../../firmware-sim/flash/nor-flash.ts";
import { compileBootDecide } from "../../firmware-sim/powercut/c-boot-decide.ts";
import { configuration, flashAreas, LAYOUTS } from "../../firmware-sim/powercut/configurations.ts";
import { BootDecisionDifferential } from "../../firmware-sim/powercut/differential.ts";
import { runConfiguration } from "../../firmware-sim/powercut/suite.ts";
import { bootedImageProblem, runUpdate } from "../../firmware-sim/powercut/update-run.ts";

let work: string;
let bootDecide: string;
let module: WebAssembly.Module;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "powercut-test-"));
  bootDecide = join(work, "boot-decide");
  compileBootDecide(bootDecide);
  module = await compileAgent();
});

after(() => rmSync(work, { recursive: true, force: true }));

const layout = (name: string) => LAYOUTS.find((l) => l.name === name)!;

describe("power cuts at every flash operation", () => {
  // small-sectors resumes inside a sector (chunks of 1000 bytes), where only the strict model
  // notices a write onto bytes that are not erased.
  for (const config of [configuration(layout("4k-sectors"), 4, 0xff, "and"), configuration(layout("small-sectors"), 16, 0x00, "strict")]) {
    it(`${config.name}: every cut of an update and a rollback boots a verified image and ends installed or rolled back; C and agent agree on every boot state`, () => {
      const report = runConfiguration(config, module, { multiCutRuns: 6, seed: 7, bootDecide });
      assert.deepEqual(report.failures, []);
      const operations = report.operations.update + report.operations.rollback;
      assert.ok(report.operations.update > 20 && report.operations.rollback > report.operations.update, JSON.stringify(report.operations));
      assert.equal(report.cutPoints.before, operations);
      assert.equal(report.cutPoints.after, operations);
      assert.ok(report.cutPoints.torn > operations, "every write torn once, every erase twice");
      assert.equal(report.multiCutRuns, 6);
      assert.equal(report.recovered, report.runs);
      assert.equal(report.runs, operations * 2 + report.cutPoints.torn + 6);
      assert.ok(report.worstBootsToRecover.update >= 1 && report.worstBootsToRecover.rollback > report.worstBootsToRecover.update);
      assert.ok(report.differential.compared > operations, `${report.differential.compared} states compared`);
      assert.equal(report.differential.mismatches, 0);
    });
  }
});

describe("power cuts at every flash operation of a signed update", () => {
  const config = configuration(layout("small-sectors"), 8, 0xff, "strict");
  it(`${config.name}: with a trusted key and an MCUboot-signed image, every cut of an update and a rollback (the trust store's counter write included) boots a verified image and ends installed or rolled back`, () => {
    const report = runConfiguration(config, module, { multiCutRuns: 4, seed: 11, bootDecide, signed: true });
    assert.deepEqual(report.failures, []);
    const operations = report.operations.update + report.operations.rollback;
    assert.ok(report.operations.update > 20, JSON.stringify(report.operations));
    assert.equal(report.recovered, report.runs);
    assert.equal(report.runs, operations * 2 + report.cutPoints.torn + 4);
    assert.equal(report.differential.mismatches, 0);
  });
});

describe("the checks can fail", () => {
  const config = configuration(layout("4k-sectors"), 4, 0xff, "strict");

  it("a booted slot that matches its record but holds neither the old nor the new image is reported", () => {
    const flash = new NorFlash({ areas: flashAreas(config) });
    const factoryA = makeFirmwareImage({ version: "1.0.0", size: 20_000 });
    const newImage = makeFirmwareImage({ version: "2.0.0", size: 30_000 });
    const other = makeFirmwareImage({ version: "9.9.9", size: 30_000 });
    flash.bytes(1).set(factoryA);
    flash.bytes(2).set(other);
    const entry = (state: SlotState, bytes: Uint8Array) => ({ state, size: bytes.length, digest: sha256(bytes), version: "" });
    placeRecordCopy(flash, 0, {
      sequence: 1, active: 2, trial: 0, attempts: 0, booted: false,
      slots: [entry(SlotState.Confirmed, flash.bytes(1)), entry(SlotState.Confirmed, other)],
    });
    assert.equal(bootedImageProblem(flash, 1, flash.bytes(1).slice(), factoryA.length, newImage), undefined);
    assert.match(bootedImageProblem(flash, 2, flash.bytes(1).slice(), factoryA.length, newImage) ?? "", /neither the old nor the new image/);
    flash.bytes(2)[5]++;
    assert.match(bootedImageProblem(flash, 2, flash.bytes(1).slice(), factoryA.length, newImage) ?? "", /do not match its recorded size/);
  });

  it("an update that power cuts keep from progressing is reported unfinished, with every cut listed", () => {
    const outcome = runUpdate({ config, scenario: "update", module, limitMs: 2_000, cuts: (_, next) => ({ at: next + 1, kind: "torn" }) });
    assert.equal(outcome.ending, "unfinished");
    assert.match(outcome.problems.join("\n"), /no INSTALLED_VERSION after 2000 ms of device time/);
    assert.ok(outcome.cuts.length > 10 && outcome.powerOns === outcome.cuts.length, `${outcome.cuts.length} cuts, ${outcome.powerOns} power-ons`);
  });

  it("the differential reports a C decision that differs from the agent's", () => {
    const liar = join(work, "lying-boot-decide");
    writeFileSync(liar, "#!/bin/sh\ncat >/dev/null\necho 'slot=none rule=nothing-bootable trial-failed=no record=unchanged flash=" + "0".repeat(64) + "'\n");
    chmodSync(liar, 0o755);
    const differential = new BootDecisionDifferential(module, flashAreas(config), liar);
    const flash = new NorFlash({ areas: flashAreas(config) });
    differential.offer(flash.image());
    differential.offer(flash.image());
    differential.flush();
    assert.deepEqual([differential.offered, differential.compared, differential.mismatches.length], [2, 1, 2]);
    assert.match(differential.mismatches[0], /^without image checks: the agent chose slot 1 .*C 'slot=none/);
    assert.match(differential.mismatches[1], /^with image checks: the agent chose slot /);
  });

  it("the differential with image checks reports a C decision that ignores the check's refusals", () => {
    // The real boot-decide, but asked for checks it decides without them: only refused images tell.
    const ignoresChecks = join(work, "check-ignoring-boot-decide");
    writeFileSync(ignoresChecks, `#!/bin/sh\nif [ "$2" = "--checks" ]; then shift 2; exec '${bootDecide}' --batch "$@"; fi\nexec '${bootDecide}' "$@"\n`);
    chmodSync(ignoresChecks, 0o755);
    const differential = new BootDecisionDifferential(module, flashAreas(config), ignoresChecks);
    const flash = new NorFlash({ areas: flashAreas(config) });
    for (let n = 0; n < 16; n++) {
      flash.bytes(1).set(makeFirmwareImage({ version: `1.0.${n}`, size: 4_000 })); // a factory image: no record yet
      differential.offer(flash.image());
    }
    differential.flush();
    assert.equal(differential.compared, 16);
    assert.ok(differential.mismatches.length > 0, "some factory images are refused by the oracle");
    for (const mismatch of differential.mismatches) assert.match(mismatch, /^with image checks: the agent chose slot 0 .*C 'slot=A rule=no-record/);
  });
});
