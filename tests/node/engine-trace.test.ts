// Golden traces of the OTAU engine in Node: a config and scripted host events in, the
// exact otau_in documents out. The network is scripted in-process; flash is firmware-sim's
// strict NOR model (support/engine-device.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ConfigSource, Device, FILE_URL, Setting, fileConfig, norFlash } from "./support/engine-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;

test("a FILE update reports INIT, TEST, DOWNLOAD and INSTALL in the schema's order, then resets into the trial", async () => {
  // Device.start boots firmware 1.0.0 and throws unless boot() returns 0.
  const device = await Device.start(norFlash());
  const trace = device.statuses;
  assert.deepEqual(trace.map((t) => [t.status, t.version]), [["INSTALLED_VERSION", "1.0.0"]]);

  const image = randomBytes(100_000);
  device.config(MURANO, fileConfig(image));
  assert.deepEqual(device.fetches, [{ url: FILE_URL, offset: 0 }]);
  device.serve(image);

  // The exact sequence, with the rate-limited DOWNLOAD_STEPs collapsed into one entry.
  assert.deepEqual(device.folded(), [
    "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_STEP", "TEST_STEP", "TEST_SUCCESS",
    "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS", "INSTALL", "INSTALL_STEP",
  ]);
  assert.match(trace.find((t) => t.status === "TEST_STEP")!.message, /version 1\.1\.0 is an upgrade from installed 1\.0\.0/);
  assert.ok(trace.some((t) => /image of 100000 bytes fits slot B of 262144 bytes/.test(t.message)));
  assert.ok(trace.slice(1).every((t) => t.version === "1.1.0"), "every status after boot names the config's version");
  const steps = trace.filter((t) => t.status === "DOWNLOAD_STEP");
  assert.ok(steps.length >= 2 && steps.length <= 22, `DOWNLOAD_STEP is rate-limited (got ${steps.length})`);
  assert.match(steps[0].message, /file 1 of 1: 0%/);
  assert.match(steps.at(-1)!.message, /file 1 of 1: 100% \(100000 of 100000 bytes\)/);
  assert.equal(device.resets, 1, "the agent asked for a reset after arming the trial");
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, image.length)), image, "slot B holds the image");
});

test("a config whose version is installed answers INSTALLED_VERSION and downloads nothing", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, fileConfig(randomBytes(10), "1.0.0"));
  assert.deepEqual(device.names(), ["INSTALLED_VERSION", "INSTALLED_VERSION"]);
  assert.equal(device.fetches.length, 0);
});

test("a corrupted download is retried and ends in DOWNLOAD_ERROR naming both digests after the last attempt", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.MaxAttempts, 2]] });
  const image = randomBytes(5000);
  device.config(MURANO, fileConfig(image));
  const corrupt = Buffer.from(image);
  corrupt[10] ^= 1;
  let now = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    device.serve(corrupt);
    now += 60_000;
    device.agent.onTick(now);
  }
  const last = device.last();
  assert.equal(last.status, "DOWNLOAD_ERROR");
  assert.match(last.message, /gave up after 2 attempts: sha256 of file 1 of 1 as read back from flash is [0-9a-f]{64}; expected [0-9a-f]{64}/);
  assert.equal(device.fetches.length, 2);
  assert.equal(device.agent.state(), 0, "the agent is idle and ready for the next config");
});

test("invalid documents end in TEST_ERROR with a precise message and never trap", async () => {
  const device = await Device.start(norFlash());
  const trace = device.statuses;
  const cases: [string | Uint8Array, RegExp][] = [
    ['{"version":"2.0.0","name":"x","type":"FILE","payload":"http://a/b"', /not valid JSON/],
    ['{"version":12,"name":"x","type":"FILE","payload":"http://a/b"}', /field "version" must be string, not number/],
    ['{"version":"2.0.0","name":"x","type":"TARBALL","payload":"http://a/b"}', /field "type" must be FILE, JSON or URL_LIST, not "TARBALL"/],
    ['{"version":"","name":"x","type":"FILE","payload":"http://a/b"}', /field "version" is empty/],
    ['{"version":"2.0.0","name":"x","type":"FILE","payload":"ftp://a/b"}', /must start with http:\/\/ or https:\/\//],
    ['{"version":"2.0.0","name":"x","type":"FILE","payload":"http:\\u000f/a/b"}', /must start with http:\/\/ or https:\/\//],
    ["[".repeat(100) + "]".repeat(100), /not valid JSON: .*at byte/],
    [Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /not valid JSON/],
    [JSON.stringify({ version: "2.0.0", name: "x".repeat(10240), type: "FILE", payload: "http://a/b" }), /is 10\d{3} bytes; the limit is 4096/],
  ];
  for (const [document, expected] of cases) {
    const before = trace.length;
    device.config(MURANO, document);
    const reports = device.names(before);
    assert.equal(reports.at(-1), "TEST_ERROR", `a TEST_ERROR for ${String(document).slice(0, 60)}`);
    assert.match(device.last().message, expected);
    assert.equal(device.agent.state(), 0);
  }
});

test("10,000 documents in a row do not grow the agent's memory (one fixed page)", async () => {
  const device = await Device.start(norFlash());
  for (let i = 0; i < 10_000; i++) device.config(MURANO, fileConfig(randomBytes(4), "1.0.0"));
  assert.equal(device.agent.memory.buffer.byteLength, 65536);
  assert.equal(device.statuses.length, 10_001);
});
