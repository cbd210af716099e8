// What the agent claims to have checked: an image with no integrity information (no sha256
// in the config) is refused unless the device allows unverified images (setting
// AllowUnverifiedImages), and then no message says "verified"; an empty image is never
// armed for a trial boot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigSource, Device, FILE_URL, Setting, image, norFlash, sha256Hex } from "./support/engine-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;
const ALLOW_UNVERIFIED: [Setting, number] = [Setting.AllowUnverifiedImages, 1];

function unverifiedConfig(size?: number): string {
  return JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, ...(size === undefined ? {} : { size }) });
}

test("a config without a sha256 digest is refused at TEST by default: nothing would verify the image", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, unverifiedConfig(100));
  assert.deepEqual(device.last(), {
    version: "1.1.0", status: "TEST_ERROR",
    message: "file 1 has no sha256 digest, so nothing would verify it, and this device does not accept unverified images (setting AllowUnverifiedImages)",
  });
  assert.equal(device.fetches.length, 0);
});

test("a signature this build cannot verify does not count as integrity information", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, signature: "MEUCIQ==", keyId: "k1" }));
  assert.equal(device.last().status, "TEST_ERROR");
  assert.match(device.last().message, /^file 1 has no sha256 digest, so nothing would verify it/);
  assert.equal(device.fetches.length, 0);
});

test("a Kaa response without sha256 is refused the same way and the rejection is published", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.Cloud, 1]] });
  device.config(ConfigSource.KaaResponse, JSON.stringify({ configId: "1.1.0", config: { link: FILE_URL, size: 100 } }));
  assert.equal(device.last().status, "TEST_ERROR");
  assert.equal(device.applied.at(-1)!.statusCode, 400);
  assert.equal(device.fetches.length, 0);
});

test("a URL_LIST is accepted with a digest per file and refused without, naming the first file", async () => {
  const body = image(100);
  const device = await Device.start(norFlash());
  device.config(MURANO, JSON.stringify({
    version: "1.1.0", name: "n", type: "URL_LIST", payload: ["http://files.test/a", "http://files.test/b"], sha256: [sha256Hex(body), sha256Hex(body)],
  }));
  assert.equal(device.fetches.length, 1, "both digests given: accepted");
  const other = await Device.start(norFlash());
  other.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "URL_LIST", payload: ["http://files.test/a", "http://files.test/b"] }));
  assert.match(other.last().message, /^file 1 has no sha256 digest/);
});

test("with AllowUnverifiedImages an image without a digest installs, and no message claims it was verified", async () => {
  const device = await Device.start(norFlash(), { settings: [ALLOW_UNVERIFIED] });
  const body = image(5000);
  device.config(MURANO, unverifiedConfig());
  assert.ok(device.statuses.some((s) => s.status === "TEST_STEP" &&
    s.message === "file 1 has no sha256 digest: it will be installed unverified (setting AllowUnverifiedImages)"));
  device.serve(body);
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD_SUCCESS")!.message,
    "all 1 file received; none verified (no sha256 digest in the config)");
  assert.ok(!device.statuses.some((s) => /verified/.test(s.message) && !/unverified|none verified|not verified/.test(s.message)),
    device.statuses.map((s) => s.message).join("\n"));
  assert.equal(device.last().status, "INSTALL_STEP");
});

test("with every digest given, DOWNLOAD_SUCCESS says the files were verified by sha256", async () => {
  const device = await Device.start(norFlash());
  const body = image(4000);
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(body), size: body.length }));
  device.serve(body);
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD_SUCCESS")!.message, "all 1 file verified");
});

test("an empty image (size 0 in the config) is refused at TEST and never armed for a trial boot", async () => {
  const device = await Device.start(norFlash());
  const empty = new Uint8Array(0);
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(empty), size: 0 }));
  assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message: "image of 0 bytes is empty: there is nothing to install" });
  assert.equal(device.fetches.length, 0);
  assert.equal(device.resets, 0);
});

test("an empty download (no size in the config, the server sends 0 bytes) ends in DOWNLOAD_ERROR, not a trial boot, and the version stays installable", async () => {
  const device = await Device.start(norFlash());
  const empty = new Uint8Array(0);
  const config = JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(empty) });
  device.config(MURANO, config);
  device.serve(empty);
  assert.deepEqual(device.last(), { version: "1.1.0", status: "DOWNLOAD_ERROR", message: "the image is empty (0 bytes): there is nothing to install" });
  assert.equal(device.resets, 0);
  assert.ok(!device.names().includes("INSTALL_STEP"));
  const { device: rebooted } = await device.reboot();
  assert.deepEqual(rebooted.names(), ["INSTALLED_VERSION"], "no rollback is reported: nothing was armed");
  const body = image(1000);
  rebooted.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(body) }));
  assert.equal(rebooted.fetches.length, 1, "the same version is not refused as rolled back");
});
