// Golden traces of downloads: retries with backoff, resume by Range, servers that ignore
// Range, stalls, superseding and repeated configs, and the TEST policies (downgrade,
// required digest). Each test scripts the host events and checks the exact statuses.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigSource, Device, FILE_URL, SLOT_SIZE, Setting, documentsDelivered, fileConfig, image, norFlash, sha256Hex,
} from "./support/engine-device.ts";

after(() => console.log(`engine-download: ${documentsDelivered} documents delivered to the agent`));

const MURANO = ConfigSource.MuranoConfigOtau;

test("a broken transfer is retried after the backoff delay and resumes by Range from the byte reached", async () => {
  const device = await Device.start(norFlash());
  const body = image(100_000);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 50_000));
  device.agent.onDataEnd(false);
  assert.equal(device.last().status, "DOWNLOAD_STEP");
  assert.equal(device.last().message,
    "attempt 1 of 5 failed (transfer of file 1 of 1 broke off after 50000 of 100000 bytes); retrying in 1000 ms from byte 50000");
  assert.equal(device.agent.state(), 3, "Backoff");

  device.agent.onTick(999);
  assert.equal(device.fetches.length, 1, "nothing is fetched before the delay is over");
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 50_000 });
  device.serve(body.subarray(50_000), { status: 206, from: 50_000, total: body.length });

  assert.deepEqual(device.folded(), [
    "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_STEP", "TEST_STEP", "TEST_SUCCESS",
    "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS", "INSTALL", "INSTALL_STEP",
  ]);
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, body.length)), Buffer.from(body));
  assert.equal(device.resets, 1);
});

test("the retry delay doubles per attempt up to RetryMaxMs, and the last attempt ends in DOWNLOAD_ERROR with the cause", async () => {
  const device = await Device.start(norFlash(), {
    settings: [[Setting.MaxAttempts, 4], [Setting.RetryBaseMs, 100], [Setting.RetryMaxMs, 250]],
  });
  device.config(MURANO, fileConfig(image(1000)));
  let now = 0;
  const delays: string[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    device.agent.onResponse(503, 0, 0);
    delays.push(device.last().message);
    now += 1000;
    device.agent.onTick(now);
  }
  assert.deepEqual(delays, [
    "attempt 1 of 4 failed (HTTP 503 for file 1 of 1); retrying in 100 ms from byte 0",
    "attempt 2 of 4 failed (HTTP 503 for file 1 of 1); retrying in 200 ms from byte 0",
    "attempt 3 of 4 failed (HTTP 503 for file 1 of 1); retrying in 250 ms from byte 0",
    "gave up after 4 attempts: HTTP 503 for file 1 of 1",
  ]);
  assert.equal(device.last().status, "DOWNLOAD_ERROR");
  assert.equal(device.fetches.length, 4);
  assert.equal(device.agent.state(), 0, "idle again");
});

test("a server answering 200 to a ranged request restarts the file from its first byte", async () => {
  const device = await Device.start(norFlash());
  const body = image(30_000, 7);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 12_000));
  device.agent.onDataEnd(false);
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 12_000 });
  const before = device.statuses.length;
  device.serve(body, { status: 200 });
  const steps = device.statuses.slice(before).filter((s) => s.status === "DOWNLOAD_STEP").map((s) => s.message);
  assert.equal(steps[0], "downloading file 1 of 1: 13% (4096 of 30000 bytes)", "progress counts again from 0");
  assert.equal(device.names().at(-1), "INSTALL_STEP");
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, body.length)), Buffer.from(body));
});

test("a server answering a different range than asked is a failed attempt, not data", async () => {
  const device = await Device.start(norFlash());
  const body = image(20_000, 3);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 8_000));
  device.agent.onDataEnd(false);
  device.agent.onTick(1000);
  device.agent.onResponse(206, 4_000, body.length);
  assert.match(device.last().message, /attempt 2 of 5 failed \(server answered with bytes from 4000 when asked for 8000\)/);
});

test("a transfer with no data for StallTimeoutMs is cancelled and retried", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.StallTimeoutMs, 5000]] });
  const body = image(10_000, 5);
  device.config(MURANO, fileConfig(body));
  device.agent.onTick(100);
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 4_000));
  device.agent.onTick(5099);
  assert.equal(device.agent.state(), 2, "still receiving just before the timeout");
  const cancels = device.cancels;
  device.agent.onTick(5100);
  assert.equal(device.last().message, "attempt 1 of 5 failed (no data for 5000 ms on file 1 of 1); retrying in 1000 ms from byte 4000");
  assert.ok(device.cancels > cancels, "the stalled transfer was cancelled");
  device.agent.onTick(6100);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 4000 });
});

test("a host that cannot start a transfer counts as a failed attempt with its code", async () => {
  const device = await Device.start(norFlash(), { fetchResult: -7, settings: [[Setting.MaxAttempts, 1]] });
  device.config(MURANO, fileConfig(image(100)));
  assert.equal(device.last().status, "DOWNLOAD_ERROR");
  assert.equal(device.last().message, "gave up after 1 attempt: the host could not start a transfer (code 7)");
});

test("a new config during a download ends the old one INSTALL_ABORTED under its own version, then the new one starts", async () => {
  const device = await Device.start(norFlash());
  const first = image(50_000, 1);
  const second = image(20_000, 2);
  device.config(MURANO, fileConfig(first, "1.1.0"));
  device.agent.onResponse(200, 0, first.length);
  device.agent.onData(first.subarray(0, 20_000));
  const before = device.statuses.length;
  const cancels = device.cancels;
  device.config(MURANO, fileConfig(second, "1.2.0"));
  const after = device.statuses.slice(before);
  assert.deepEqual(after[0], { version: "1.1.0", status: "INSTALL_ABORTED", message: "superseded by version 1.2.0" });
  assert.deepEqual(after.slice(1).map((s) => [s.status, s.version]).slice(0, 2), [["INIT", "1.2.0"], ["TEST", "1.2.0"]]);
  assert.ok(after.slice(1).every((s) => s.version === "1.2.0"), "every later status names the new version");
  assert.ok(device.cancels > cancels, "the old transfer was cancelled");
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 0 });
  device.serve(second);
  assert.equal(device.last().status, "INSTALL_STEP");
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, second.length)), Buffer.from(second));
});

test("the same config delivered twice during a download does not restart it", async () => {
  const device = await Device.start(norFlash());
  const body = image(40_000, 4);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 10_000));
  const before = device.statuses.length;
  device.config(MURANO, fileConfig(body));
  assert.equal(device.statuses.length, before, "no status for the repeated config");
  assert.equal(device.fetches.length, 1, "no new transfer");
  device.agent.onData(body.subarray(10_000));
  device.agent.onDataEnd(true);
  assert.deepEqual(device.folded(before), ["DOWNLOAD_STEP", "DOWNLOAD_SUCCESS", "INSTALL", "INSTALL_STEP"]);
});

test("a config arriving while the installed image waits for its reset is refused with TEST_ERROR", async () => {
  const device = await Device.start(norFlash());
  const body = image(1000);
  device.config(MURANO, fileConfig(body));
  device.serve(body);
  assert.equal(device.agent.state(), 4, "AwaitingReset");
  device.config(MURANO, fileConfig(image(10), "1.3.0"));
  assert.deepEqual(device.last(), {
    version: "1.3.0", status: "TEST_ERROR",
    message: "version 1.1.0 is installed and waiting for its reset; a new update can start once it is confirmed or rolled back",
  });
  const count = device.statuses.length;
  device.config(MURANO, fileConfig(body));
  assert.equal(device.statuses.length, count, "the same version again is not an error");
});

test("a downgrade is refused naming both versions, unless AllowDowngrade is set", async () => {
  const refused = await Device.start(norFlash(), { firmware: "2.0.0" });
  refused.config(MURANO, fileConfig(image(100), "1.9.9"));
  assert.deepEqual(refused.names(1), ["INIT", "TEST", "TEST_ERROR"]);
  assert.equal(refused.last().message, "version 1.9.9 is older than installed 2.0.0 and this device does not allow downgrades");
  assert.equal(refused.fetches.length, 0);

  const allowed = await Device.start(norFlash(), { firmware: "2.0.0", settings: [[Setting.AllowDowngrade, 1]] });
  allowed.config(MURANO, fileConfig(image(100), "1.9.9"));
  assert.equal(allowed.statuses.find((s) => s.status === "TEST_STEP")!.message, "version 1.9.9 is a downgrade from installed 2.0.0");
  assert.deepEqual(allowed.names(1).slice(-2), ["DOWNLOAD", "DOWNLOAD_STEP"]);
});

test("with downgrades allowed, versions that are not both semantic versions skip the downgrade check and say so", async () => {
  const device = await Device.start(norFlash(), { firmware: "656764202e0c", settings: [[Setting.AllowDowngrade, 1]] });
  device.config(MURANO, fileConfig(image(100), "2.0.5-stable"));
  assert.equal(device.statuses.find((s) => s.status === "TEST_STEP")!.message,
    "version 2.0.5-stable and installed 656764202e0c are not both semantic versions; no downgrade check");
  assert.equal(device.fetches.length, 1);
});

test("RequireDigest refuses a config without sha256 and accepts one with it", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.RequireDigest, 1]] });
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL }));
  assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message: "file 1 has no sha256 digest and this device requires one" });
  assert.equal(device.fetches.length, 0);
  device.config(MURANO, fileConfig(image(100)));
  assert.equal(device.fetches.length, 1);
});

test("an image larger than the slot is refused before downloading, naming both sizes", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, size: SLOT_SIZE + 1, sha256: "5a".repeat(32) }));
  assert.equal(device.last().message, `image of ${SLOT_SIZE + 1} bytes does not fit slot B of ${SLOT_SIZE} bytes`);
});

test("a server announcing a different size than the config ends in DOWNLOAD_ERROR naming both", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, fileConfig(image(1000)));
  device.agent.onResponse(200, 0, 999);
  assert.deepEqual(device.last(), {
    version: "1.1.0", status: "DOWNLOAD_ERROR", message: "server reports 999 bytes for file 1 of 1; the config says 1000",
  });
  assert.equal(device.agent.state(), 0);
});

test("a server sending more bytes than announced is cut off and retried", async () => {
  const device = await Device.start(norFlash());
  const body = image(1000);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(image(1200));
  assert.match(device.last().message, /^attempt 1 of 5 failed \(server sent more than 1000 bytes for file 1 of 1\)/);
});

test("without a size in the config the server's length is used and progress counts bytes when none is known", async () => {
  const device = await Device.start(norFlash());
  const body = image(3000);
  device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(body) }));
  assert.equal(device.statuses.filter((s) => s.status === "TEST_STEP").at(-1)!.message,
    `size not given; checked while downloading against slot B of ${SLOT_SIZE} bytes`);
  device.agent.onResponse(200, 0, 0);
  device.agent.onData(body);
  device.agent.onDataEnd(true);
  const steps = device.statuses.filter((s) => s.status === "DOWNLOAD_STEP").map((s) => s.message);
  assert.deepEqual(steps, ["downloading file 1 of 1: 0 bytes", "downloading file 1 of 1: 100% (3000 of 3000 bytes)"]);
  assert.equal(device.last().status, "INSTALL_STEP");
});
