// Resume edge cases a hostile or sloppy server produces, and the retry delay at large
// attempt counts: the agent recovers where it can and refuses at once what it cannot place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigSource, Device, FILE_URL, Setting, fileConfig, image, norFlash, sha256Hex } from "./support/engine-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;
/** docs/abi.md on_response: the range start a host reports for a 206 without a usable Content-Range. */
const RANGE_START_UNKNOWN = 0xffffffff;

/** A config with the digest but no size: the server's length is all the agent knows. */
function digestOnly(body: Uint8Array): string {
  return JSON.stringify({ version: "1.1.0", name: "n", type: "FILE", payload: FILE_URL, sha256: sha256Hex(body) });
}

test("a file that changed size between attempts (a correct 206 with another total) starts again from byte 0", async () => {
  const device = await Device.start(norFlash());
  const old = image(100_000, 1);
  const now = image(120_000, 2);
  device.config(MURANO, digestOnly(now));
  device.agent.onResponse(200, 0, old.length);
  device.agent.onData(old.subarray(0, 50_000));
  device.agent.onDataEnd(false);
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 50_000 });
  device.agent.onResponse(206, 50_000, now.length);
  assert.equal(device.last().status, "DOWNLOAD_STEP");
  assert.equal(device.last().message, "file 1 of 1 is now 120000 bytes on the server, not 100000: starting it again from byte 0");
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 0 });
  assert.equal(device.fetches.length, 3);
  device.serve(now);
  assert.equal(device.last().status, "INSTALL_STEP");
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, now.length)), Buffer.from(now));
});

test("a transfer marked failed after its last byte (Content-Length overstated by one) is verified, not asked for again", async () => {
  const device = await Device.start(norFlash());
  const body = image(1000);
  device.config(MURANO, digestOnly(body));
  device.agent.onResponse(200, 0, body.length + 1);
  device.agent.onData(body);
  device.agent.onDataEnd(false);
  assert.equal(device.fetches.length, 1, "no Range: bytes=1000- request");
  assert.ok(device.statuses.some((s) => s.status === "DOWNLOAD_STEP" &&
    s.message === "transfer of file 1 of 1 broke off after 1000 of 1001 bytes, but the bytes received match the config's sha256: the file is complete"),
    device.statuses.map((s) => s.message).join("\n"));
  assert.deepEqual(device.names().slice(-3), ["DOWNLOAD_SUCCESS", "INSTALL", "INSTALL_STEP"]);
});

test("a transfer marked failed with exactly the config's size received goes on to verification", async () => {
  const device = await Device.start(norFlash());
  const body = image(3000);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, 0);
  device.agent.onData(body);
  device.agent.onDataEnd(false);
  assert.equal(device.fetches.length, 1);
  assert.equal(device.last().status, "INSTALL_STEP");
});

test("a broken transfer whose bytes do not yet match the digest is retried from the byte reached, as before", async () => {
  const device = await Device.start(norFlash());
  const body = image(10_000);
  device.config(MURANO, digestOnly(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 6000));
  device.agent.onDataEnd(false);
  assert.match(device.last().message, /^attempt 1 of 5 failed \(transfer of file 1 of 1 broke off after 6000 of 10000 bytes\)/);
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 6000 });
});

/** A 20,000-byte download broken off after 8192 bytes, whose retry has asked for byte 8192 on. */
async function resumingAt8192() {
  const device = await Device.start(norFlash());
  const body = image(20_000);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 8192));
  device.agent.onDataEnd(false);
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 8192 });
  return { device, body };
}

test("a 206 without a Content-Range (range start unknown) is refused at once: nothing of its body is written", async () => {
  const { device, body } = await resumingAt8192();
  const before = Buffer.from(device.flash.bytes(2).subarray(0, 8192));
  device.agent.onResponse(206, RANGE_START_UNKNOWN, 0);
  assert.equal(device.last().message,
    "attempt 2 of 5 failed (HTTP 206 for file 1 of 1 has no usable Content-Range: cannot tell where its bytes belong); retrying in 2000 ms from byte 8192");
  device.agent.onData(body.subarray(8192, 16384));
  assert.deepEqual(Buffer.from(device.flash.bytes(2).subarray(0, 8192)), before);
  assert.equal(device.agent.state(), 3, "Backoff");
});

test("a 206 that starts at byte 0 when byte 8192 was asked for is refused, not written over the start", async () => {
  const { device, body } = await resumingAt8192();
  device.agent.onResponse(206, 0, body.length);
  assert.match(device.last().message, /^attempt 2 of 5 failed \(server answered with bytes from 0 when asked for 8192\)/);
});

test("the retry delay saturates at RetryMaxMs for every attempt up to 255, never wrapping to 0", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.MaxAttempts, 255], [Setting.RetryBaseMs, 1000], [Setting.RetryMaxMs, 60_000]] });
  device.config(MURANO, fileConfig(image(100)));
  let now = 0;
  const delays: number[] = [];
  for (let attempt = 1; attempt < 255; attempt++) {
    device.agent.onResponse(503, 0, 0);
    const match = /retrying in (\d+) ms/.exec(device.last().message);
    assert.ok(match, device.last().message);
    delays.push(Number(match[1]));
    now += 60_000;
    device.agent.onTick(now);
  }
  assert.deepEqual(delays.slice(0, 7), [1000, 2000, 4000, 8000, 16000, 32000, 60000]);
  assert.deepEqual(delays.slice(6).filter((d) => d !== 60_000), [], "every later delay is the cap");
});

test("the retry delay saturates below 2^31 ms, the longest wait a wrapping u32 clock can tell apart, and waits all of it", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.MaxAttempts, 70], [Setting.RetryBaseMs, 3], [Setting.RetryMaxMs, 0xffffffff]] });
  device.config(MURANO, fileConfig(image(100)));
  let now = 0;
  const delays: number[] = [];
  for (let attempt = 1; attempt < 70; attempt++) {
    device.agent.onResponse(503, 0, 0);
    const delay = Number(/retrying in (\d+) ms/.exec(device.last().message)![1]);
    delays.push(delay);
    const fetches = device.fetches.length;
    device.agent.onTick((now + delay - 1) >>> 0);
    assert.equal(device.fetches.length, fetches, `attempt ${attempt}: no retry before ${delay} ms`);
    now = (now + delay) >>> 0;
    device.agent.onTick(now);
    assert.equal(device.fetches.length, fetches + 1, `attempt ${attempt}: the retry after ${delay} ms`);
  }
  assert.equal(delays[29], 3 * 2 ** 29);
  assert.deepEqual(delays.slice(30).filter((d) => d !== 0x7fffffff), []);
});
