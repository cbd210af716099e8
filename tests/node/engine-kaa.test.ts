// Kaa cmx_ota responses through the whole agent, and the `applied` documents it answers
// with (docs/protocols.md "2. Kaa": `{"configId"}` on success, plus statusCode ≥ 400 and
// reasonPhrase to reject). Statuses in otau_in form go to the local channel 2.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigSource, Device, DeviceOptions, FILE_URL, Setting, documentsDelivered, image, kaaResponse, norFlash, sha256Hex,
} from "./support/engine-device.ts";

after(() => console.log(`engine-kaa: ${documentsDelivered} documents delivered to the agent`));

const KAA = ConfigSource.KaaResponse;

function kaaDevice(options: DeviceOptions = {}): Promise<Device> {
  return Device.start(norFlash(), { ...options, settings: [[Setting.Cloud, 1], ...(options.settings ?? [])] });
}

test("at boot a Kaa device reports the installed version as applied, and nothing on the Murano channel", async () => {
  const device = await kaaDevice();
  assert.deepEqual(device.applied, [{ configId: "1.0.0" }]);
  assert.deepEqual(device.raw.map((r) => r.channel), [2, 1]);
});

test("a response with link, sha256 and size installs, and after the trial is confirmed the device reports it applied", async () => {
  const device = await kaaDevice();
  const body = image(20_000);
  device.config(KAA, kaaResponse(body));
  assert.deepEqual(device.fetches, [{ url: FILE_URL, offset: 0 }]);
  assert.deepEqual(device.applied, [{ configId: "1.0.0" }], "progress is not published to Kaa");
  device.serve(body);
  assert.equal(device.last().status, "INSTALL_STEP");
  const { slot, device: rebooted } = await device.reboot();
  assert.equal(slot, 2);
  rebooted.agent.onHealthy();
  assert.deepEqual(rebooted.names(), ["INSTALL_STEP", "INSTALL_SUCCESS", "INSTALLED_VERSION"]);
  assert.deepEqual(rebooted.applied, [{ configId: "1.1.0" }]);
});

test("links lists several files, downloaded in turn with sha256 and size per file", async () => {
  const device = await kaaDevice();
  const files = [image(3000, 1), image(4000, 2)];
  device.config(KAA, JSON.stringify({
    configId: "1.1.0",
    config: { links: ["http://files.test/a", "http://files.test/b"], sha256: files.map(sha256Hex), size: files.map((f) => f.length) },
  }));
  device.serve(files[0]);
  device.serve(files[1]);
  assert.deepEqual(device.fetches.map((f) => f.url), ["http://files.test/a", "http://files.test/b"]);
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD_SUCCESS")!.message, "all 2 files verified");
});

test("upgradableFrom containing the installed version passes the TEST step that says so", async () => {
  const device = await kaaDevice();
  device.config(KAA, kaaResponse(image(10), "1.1.0", { upgradableFrom: ["0.9.0", "1.0.0"] }));
  assert.ok(device.statuses.some((s) => s.status === "TEST_STEP" && s.message === "installed version 1.0.0 is in upgradableFrom"));
  assert.equal(device.fetches.length, 1);
});

test("upgradableFrom without the installed version is rejected: TEST_ERROR and applied with statusCode 400 and the reason", async () => {
  const device = await kaaDevice();
  device.config(KAA, kaaResponse(image(10), "1.1.0", { upgradableFrom: ["0.9.0", 1, "1.0.0-rc1"] }));
  assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message: "installed version 1.0.0 is not in upgradableFrom" });
  assert.deepEqual(device.applied.at(-1), { configId: "1.1.0", statusCode: 400, reasonPhrase: "installed version 1.0.0 is not in upgradableFrom" });
  assert.equal(device.fetches.length, 0);
});

test("an error reply (statusCode >= 400) is logged with its reason and neither reported nor answered", async () => {
  const device = await kaaDevice();
  device.config(KAA, JSON.stringify({ statusCode: 404, reasonPhrase: "endpoint not found" }));
  assert.equal(device.statuses.length, 1, "only the boot status");
  assert.equal(device.applied.length, 1, "only the boot applied");
  assert.ok(device.logs.includes("Kaa answered 404: endpoint not found"), device.logs.join("\n"));
  assert.equal(device.agent.state(), 0);
});

test("{} means up to date: nothing is downloaded and nothing reported beyond the boot's status and applied", async () => {
  const device = await kaaDevice();
  device.config(KAA, "{}");
  assert.equal(device.statuses.length, 1);
  assert.equal(device.applied.length, 1);
  assert.equal(device.fetches.length, 0);
  assert.ok(device.logs.some((line) => /installed version is current/.test(line)));
});

test("a response for the installed version answers INSTALLED_VERSION and applied without a statusCode", async () => {
  const device = await kaaDevice();
  device.config(KAA, kaaResponse(image(10), "1.0.0"));
  assert.equal(device.last().status, "INSTALLED_VERSION");
  assert.deepEqual(device.applied.at(-1), { configId: "1.0.0" });
  assert.equal(device.fetches.length, 0);
});

test("malformed responses are rejected with TEST_ERROR; applied carries the reason whenever the configId was read", async () => {
  const device = await kaaDevice();
  const cases: [string, string, boolean][] = [
    ['{"configId":"1.1.0"}', 'cmx_ota response has "configId" but no "config"', true],
    ['{"config":{"link":"http://a/b"}}', 'cmx_ota response has "config" but no "configId"', false],
    ['{"configId":"1.1.0","config":{}}', 'field "config" has neither "link" nor "links"', true],
    ['{"configId":"1.1.0","config":{"link":"http://a/b","links":["http://a/c"]}}', 'field "config" has both "link" and "links"', true],
    ['{"configId":"1.1.0","config":{"link":["http://a/b"]}}', 'config: field "link" must be string, not array', true],
    ['{"configId":"1.1.0","config":{"links":"http://a/b"}}', 'config: field "links" must be array, not string', true],
    ['{"configId":"1.1.0","config":{"link":"http://a/b","size":1e400}}', 'field "size" must be a whole number of bytes below 4 GiB, not 1e400', true],
    ['{"configId":"1.1.0","config":{"link":"http://a/b","upgradableFrom":"1.0.0"}}', 'config: field "upgradableFrom" must be array, not string', true],
    ['{"configId":"","config":{"link":"http://a/b"}}', 'field "configId" is empty', false],
    ['{"configId":7,"config":{"link":"http://a/b"}}', 'cmx_ota response: field "configId" must be string, not number', false],
    ['{"statusCode":"404"}', 'cmx_ota response: field "statusCode" must be number, not string', false],
    ['{"statusCode":4.04e2,"reasonPhrase":"x"}', 'field "statusCode" must be a whole number, not 4.04e2', false],
    ['{"configId":"1.1.0","config":{"link":"http://a/b"},"configId":"1.2.0"}', 'cmx_ota response: field "configId" appears more than once', false],
    ['[]', "cmx_ota response must be a JSON object", false],
  ];
  for (const [document, message, answered] of cases) {
    const applied = device.applied.length;
    device.config(KAA, document);
    assert.equal(device.last().status, "TEST_ERROR", document);
    assert.equal(device.last().message, message, document);
    if (answered) assert.deepEqual(device.applied.at(-1), { configId: "1.1.0", statusCode: 400, reasonPhrase: message }, document);
    else assert.equal(device.applied.length, applied, `no applied for ${document}`);
  }
  assert.equal(device.fetches.length, 0);
  device.config(KAA, kaaResponse(image(10)));
  assert.equal(device.fetches.length, 1, "a good response still proceeds after all of them");
});

test("a download that fails for good is answered with statusCode 500 and the cause", async () => {
  const device = await kaaDevice({ settings: [[Setting.MaxAttempts, 1]] });
  device.config(KAA, kaaResponse(image(100)));
  device.agent.onResponse(404, 0, 0);
  assert.deepEqual(device.applied.at(-1), { configId: "1.1.0", statusCode: 500, reasonPhrase: "gave up after 1 attempt: HTTP 404 for file 1 of 1" });
});

test("a new configId during a download answers the old one with statusCode 409", async () => {
  const device = await kaaDevice();
  device.config(KAA, kaaResponse(image(100, 1), "1.1.0"));
  device.config(KAA, kaaResponse(image(100, 2), "1.2.0"));
  assert.deepEqual(device.applied.at(-1), { configId: "1.1.0", statusCode: 409, reasonPhrase: "superseded by version 1.2.0" });
  assert.equal(device.statuses.at(-1)!.version, "1.2.0");
});

test("the same update with a fresh presigned link does not restart, and the next attempt uses the new link", async () => {
  const device = await kaaDevice();
  const body = image(30_000);
  device.config(KAA, kaaResponse(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 10_000));
  device.agent.onDataEnd(false);
  const count = device.statuses.length;
  device.config(KAA, kaaResponse(body, "1.1.0", { link: "http://files.test/fw.bin?X-Amz-Signature=new" }));
  assert.equal(device.statuses.length, count, "no status: the update carries on");
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: "http://files.test/fw.bin?X-Amz-Signature=new", offset: 10_000 });
});

test("an error reply's reasonPhrase reaches the log with control characters escaped, so it cannot forge lines or drive a terminal", async () => {
  const device = await kaaDevice();
  device.config(KAA, JSON.stringify({ statusCode: 503, reasonPhrase: "busy\n[agent 0] INSTALL_SUCCESS \u001b[2J\u0000\u009b\\ ok" }));
  assert.equal(device.logs.at(-1), "Kaa answered 503: busy\\u000a[agent 0] INSTALL_SUCCESS \\u001b[2J\\u0000\\u009b\\\\ ok");
});

test("a reasonPhrase longer than 160 bytes is cut to 160 bytes on a character boundary and marked, not dropped", async () => {
  const device = await kaaDevice();
  const reason = "é".repeat(79) + "x" + "é".repeat(10); // 158 + 1 + 20 bytes: the cut falls inside a 2-byte character
  device.config(KAA, JSON.stringify({ statusCode: 500, reasonPhrase: reason }));
  assert.equal(device.logs.at(-1), `Kaa answered 500: ${"é".repeat(79)}x... (reasonPhrase cut at 160 bytes)`);
});
