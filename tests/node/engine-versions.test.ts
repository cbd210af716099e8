// The downgrade policy over the version grammar (assembly/manifest/version.ts, SemVer 2.0.0):
// with downgrades forbidden a version that is not a semantic version cannot be ordered and
// is refused; precedence follows semver.org §11; control characters are never accepted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigSource, Device, Setting, fileConfig, image, kaaResponse, norFlash } from "./support/engine-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;
const GRAMMAR = "MAJOR.MINOR.PATCH[-pre-release][+build], semver.org";

for (const version of ["0.9.0.1", "v0.1.0", "1.0.0 ", "r1", "2.0.0.1"]) {
  test(`with downgrades forbidden, version ${JSON.stringify(version)} (not a semantic version) is refused at TEST against installed 2.0.0`, async () => {
    const device = await Device.start(norFlash(), { firmware: "2.0.0" });
    device.config(MURANO, fileConfig(image(100), version));
    assert.deepEqual(device.names(1), ["INIT", "TEST", "TEST_ERROR"]);
    assert.equal(device.last().message,
      `version "${version}" is not a semantic version (${GRAMMAR}) and this device does not allow downgrades, so it cannot be ordered against installed 2.0.0`);
    assert.equal(device.fetches.length, 0);
  });
}

test("a Kaa configId that is not a semantic version (r1) is refused with downgrades forbidden, and the refusal is published with statusCode 400", async () => {
  const device = await Device.start(norFlash(), { firmware: "2.0.0", settings: [[Setting.Cloud, 1]] });
  device.config(ConfigSource.KaaResponse, kaaResponse(image(100), "r1"));
  assert.equal(device.last().status, "TEST_ERROR");
  assert.equal(device.fetches.length, 0);
  assert.deepEqual(device.applied.at(-1), {
    configId: "r1", statusCode: 400,
    reasonPhrase: `version "r1" is not a semantic version (${GRAMMAR}) and this device does not allow downgrades, so it cannot be ordered against installed 2.0.0`,
  });
});

test("with downgrades forbidden, an installed version that is not a semantic version cannot order the update: refused, naming it", async () => {
  const device = await Device.start(norFlash(), { firmware: "656764202e0c" });
  device.config(MURANO, fileConfig(image(100), "2.0.0"));
  assert.equal(device.last().status, "TEST_ERROR");
  assert.equal(device.last().message,
    `installed version "656764202e0c" is not a semantic version (${GRAMMAR}) and this device does not allow downgrades, so version 2.0.0 cannot be ordered against it`);
  assert.equal(device.fetches.length, 0);
});

test("with downgrades allowed, versions that are not semantic versions download and the TEST step says no order was checked", async () => {
  const device = await Device.start(norFlash(), { firmware: "2.0.0", settings: [[Setting.AllowDowngrade, 1]] });
  device.config(MURANO, fileConfig(image(100), "r1"));
  assert.equal(device.statuses.find((s) => s.status === "TEST_STEP")!.message,
    "version r1 and installed 2.0.0 are not both semantic versions; no downgrade check");
  assert.equal(device.fetches.length, 1);
});

test("a pre-release of the installed version is older (semver.org §11) and refused with downgrades forbidden", async () => {
  const device = await Device.start(norFlash(), { firmware: "1.0.0" });
  device.config(MURANO, fileConfig(image(100), "1.0.0-rc.1"));
  assert.equal(device.last().message, "version 1.0.0-rc.1 is older than installed 1.0.0 and this device does not allow downgrades");
  assert.equal(device.fetches.length, 0);
});

test("pre-release identifiers order numerically: 1.0.0-rc.10 is an upgrade from 1.0.0-rc.9", async () => {
  const device = await Device.start(norFlash(), { firmware: "1.0.0-rc.9" });
  device.config(MURANO, fileConfig(image(100), "1.0.0-rc.10"));
  assert.equal(device.statuses.find((s) => s.status === "TEST_STEP")!.message, "version 1.0.0-rc.10 is an upgrade from installed 1.0.0-rc.9");
  assert.equal(device.fetches.length, 1);
});

test("a version differing only in build metadata has the same precedence: not an upgrade, not a downgrade, and it installs", async () => {
  const device = await Device.start(norFlash(), { firmware: "1.0.0+build.1" });
  device.config(MURANO, fileConfig(image(100), "1.0.0+build.2"));
  assert.equal(device.statuses.find((s) => s.status === "TEST_STEP")!.message,
    "version 1.0.0+build.2 has the same precedence as installed 1.0.0+build.1 (they differ in build metadata only)");
  assert.equal(device.fetches.length, 1);
});

for (const [name, version, byte, at] of [
  ["NUL", "1.1.0\u0000", "00", 5], ["a newline", "1.1.0\nINSTALL_SUCCESS", "0a", 5], ["ESC", "\u001b[2J1.1.0", "1b", 0], ["DEL", "1.1\u007f.0", "7f", 3],
] as const) {
  test(`a version holding ${name} is refused whatever the downgrade setting, naming the byte`, async () => {
    const device = await Device.start(norFlash(), { settings: [[Setting.AllowDowngrade, 1]] });
    device.config(MURANO, fileConfig(image(100), version));
    assert.equal(device.last().status, "TEST_ERROR");
    assert.equal(device.last().message, `field "version" has byte 0x${byte} at ${at}, a control character a version cannot hold`);
    assert.equal(device.fetches.length, 0);
  });
}
