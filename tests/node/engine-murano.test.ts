// Murano documents through the whole agent: config_otau of each type (FILE, JSON,
// URL_LIST and its alias URLS), the integrity extension fields, and the otau_info tag
// (percent-encoded). Each test checks the exact statuses and what reached the host.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigSource, Device, FILE_URL, SECTOR, documentsDelivered, fileConfig, image, norFlash, sha256Hex,
} from "./support/engine-device.ts";

after(() => console.log(`engine-murano: ${documentsDelivered} documents delivered to the agent`));

const MURANO = ConfigSource.MuranoConfigOtau;
const TAG = ConfigSource.MuranoOtauInfo;

function jsonConfig(payload: unknown, version = "1.1.0"): string {
  return JSON.stringify({ version, name: "settings", description: "thresholds", type: "JSON", payload });
}

test("a JSON config hands its payload object to apply_json, downloads nothing and reports INSTALL_SUCCESS", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, jsonConfig({ threshold: 3, labels: ["a", "é"] }));
  assert.deepEqual(device.appliedJson, ['{"threshold":3,"labels":["a","é"]}']);
  assert.deepEqual(device.statuses.slice(1).map((s) => [s.status, s.message]), [
    ["INIT", "1.1.0"],
    ["TEST", ""],
    ["TEST_STEP", "version 1.1.0 is an upgrade from installed 1.0.0"],
    ["TEST_STEP", "payload is a JSON object of 35 bytes"],
    ["TEST_SUCCESS", "all checks passed"],
    ["INSTALL", "applying the JSON payload"],
    ["INSTALL_SUCCESS", "JSON payload applied"],
  ]);
  assert.equal(device.fetches.length, 0);
  assert.equal(device.agent.state(), 0);
});

test("a JSON config the application refuses ends in INSTALL_ERROR with the application's code", async () => {
  const device = await Device.start(norFlash(), { applyJson: -22 });
  device.config(MURANO, jsonConfig({ threshold: "high" }));
  assert.deepEqual(device.last(), {
    version: "1.1.0", status: "INSTALL_ERROR", message: "the application refused the JSON payload (code -22)",
  });
  assert.equal(device.agent.state(), 0, "ready for the next config");
});

test("a JSON config whose payload is not an object is refused with TEST_ERROR", async () => {
  const device = await Device.start(norFlash());
  for (const payload of ["http://a/b", ["x"]]) {
    device.config(MURANO, jsonConfig(payload));
    assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message: 'field "payload" of a JSON config must be a JSON object' });
  }
  assert.equal(device.appliedJson.length, 0);
});

function urlList(files: Uint8Array[], type = "URL_LIST", version = "1.1.0"): string {
  return JSON.stringify({
    version, name: "bundle", type,
    payload: files.map((_, i) => `http://files.test/part${i + 1}.bin`),
    sha256: files.map(sha256Hex), size: files.map((f) => f.length),
  });
}

test("a URL_LIST config downloads every file in turn with progress per file, then installs them as one image", async () => {
  const device = await Device.start(norFlash());
  const files = [image(5000, 1), image(7000, 2)];
  device.config(MURANO, urlList(files));
  assert.deepEqual(device.statuses.filter((s) => s.status === "TEST_STEP").map((s) => s.message), [
    "version 1.1.0 is an upgrade from installed 1.0.0",
    "file 1 URL is http(s)",
    "file 2 URL is http(s)",
    "image of 15192 bytes fits slot B of 262144 bytes", // file 2 starts on the next 4 KiB sector
  ]);
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD")!.message, "downloading 2 files");
  device.serve(files[0]);
  assert.deepEqual(device.fetches.map((f) => f.url), ["http://files.test/part1.bin", "http://files.test/part2.bin"]);
  device.serve(files[1]);
  const steps = device.statuses.filter((s) => s.status === "DOWNLOAD_STEP").map((s) => s.message);
  assert.equal(steps[0], "downloading file 1 of 2: 0% (0 of 5000 bytes)");
  assert.ok(steps.includes("downloading file 1 of 2: 100% (5000 of 5000 bytes)"));
  assert.ok(steps.includes("downloading file 2 of 2: 0% (0 of 7000 bytes)"));
  assert.equal(steps.at(-1), "downloading file 2 of 2: 100% (7000 of 7000 bytes)");
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD_SUCCESS")!.message, "all 2 files verified");
  assert.equal(device.last().status, "INSTALL_STEP");
  const slot = device.flash.bytes(2);
  assert.deepEqual(Buffer.from(slot.subarray(0, 5000)), Buffer.from(files[0]));
  assert.deepEqual(Buffer.from(slot.subarray(2 * SECTOR, 2 * SECTOR + 7000)), Buffer.from(files[1]), "file 2 starts at the next sector");
});

test("a corrupted later file of a URL_LIST is downloaded again without damaging the file before it", async () => {
  const device = await Device.start(norFlash());
  const files = [image(5000, 1), image(7000, 2)];
  device.config(MURANO, urlList(files));
  device.serve(files[0]);
  const corrupt = Uint8Array.from(files[1]);
  corrupt[100] ^= 0xff;
  device.serve(corrupt);
  assert.match(device.last().message, /^attempt 1 of 5 failed \(sha256 of file 2 of 2 as read back from flash is [0-9a-f]{64}; expected [0-9a-f]{64}\)/);
  device.agent.onTick(1000);
  assert.deepEqual(device.fetches.at(-1), { url: "http://files.test/part2.bin", offset: 0 });
  device.serve(files[1]);
  assert.equal(device.last().status, "INSTALL_STEP");
  const slot = device.flash.bytes(2);
  assert.deepEqual(Buffer.from(slot.subarray(0, 5000)), Buffer.from(files[0]), "file 1 is intact");
  assert.deepEqual(Buffer.from(slot.subarray(2 * SECTOR, 2 * SECTOR + 7000)), Buffer.from(files[1]));
});

test("URLS is accepted as an alias of URL_LIST", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, urlList([image(100, 1), image(200, 2)], "URLS"));
  assert.equal(device.statuses.find((s) => s.status === "DOWNLOAD")!.message, "downloading 2 files");
  assert.equal(device.fetches.length, 1);
});

test("each type refuses a payload of the wrong shape, naming the rule", async () => {
  const device = await Device.start(norFlash());
  const cases: [string, unknown, string][] = [
    ["FILE", ["http://a/b"], 'field "payload" of a FILE config must be one URL string'],
    ["FILE", { url: "http://a/b" }, 'field "payload" of a FILE config must be one URL string'],
    ["URL_LIST", "http://a/b", 'field "payload" of a URL_LIST config must be an array of URL strings'],
    ["URL_LIST", [], 'field "payload" is an empty list'],
    ["URL_LIST", ["http://a/b", 7], 'field "payload" must hold URL strings'],
    ["URL_LIST", ["http://a/b", ""], 'field "payload" has an empty URL'],
    ["URL_LIST", Array.from({ length: 9 }, (_, i) => `http://a/${i}`), 'field "payload" lists more than 8 files'],
    ["FILE", "", 'field "payload" has an empty URL'],
    ["FILE", "ftp://a/b", 'file 1 URL must start with http:// or https://: "ftp://a/b"'],
    ["FILE", "http://", 'file 1 URL must start with http:// or https://: "http://"'],
  ];
  for (const [type, payload, message] of cases) {
    device.config(MURANO, JSON.stringify({ version: "1.1.0", name: "n", type, payload }));
    assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message }, `${type} ${JSON.stringify(payload)}`);
  }
  assert.equal(device.fetches.length, 0);
});

test("sha256 and size must match the number of files and be well-formed", async () => {
  const device = await Device.start(norFlash());
  const base = { version: "1.1.0", name: "n", type: "URL_LIST", payload: ["http://a/1", "http://a/2"] };
  const digest = "ab".repeat(32);
  const cases: [Record<string, unknown>, string][] = [
    [{ sha256: digest }, 'field "sha256" must be a list with one entry per file (2 files)'],
    [{ sha256: [digest] }, 'field "sha256" has a different number of entries than there are files (2)'],
    [{ sha256: [digest, digest, digest] }, 'field "sha256" has a different number of entries than there are files (2)'],
    [{ sha256: [digest, "xyz"] }, 'field "sha256" must be 64 hexadecimal digits, not "xyz"'],
    [{ sha256: [digest, "g".repeat(64)] }, `field "sha256" must be 64 hexadecimal digits, not "${"g".repeat(64)}"`],
    [{ size: [1, -1] }, 'field "size" must be a whole number of bytes below 4 GiB, not -1'],
    [{ size: [1, 4294967296] }, 'field "size" must be a whole number of bytes below 4 GiB, not 4294967296'],
    [{ size: [1, 1.5] }, 'field "size" must be a whole number of bytes below 4 GiB, not 1.5'],
    [{ size: [1, "2"] }, 'field "size" must be a whole number of bytes below 4 GiB, not "2"'],
  ];
  for (const [extra, message] of cases) {
    device.config(MURANO, JSON.stringify({ ...base, ...extra }));
    assert.deepEqual(device.last(), { version: "1.1.0", status: "TEST_ERROR", message }, JSON.stringify(extra));
  }
  device.config(MURANO, JSON.stringify({ ...base, sha256: [digest, digest.toUpperCase()], size: [1, 2] }));
  assert.equal(device.last().status, "DOWNLOAD_STEP", "well-formed fields pass (hex in either case)");
});

test("a signature and keyId are accepted and the TEST steps say the digest is the integrity check", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, fileConfig(image(10), "1.1.0", { signature: "c2lnbmF0dXJl", keyId: "k1" }));
  assert.ok(device.statuses.some((s) => s.status === "TEST_STEP" &&
    s.message === "the config names a signature; this device trusts no keys, so the sha256 digest is the integrity check"));
  assert.equal(device.fetches.length, 1);
});

/** The otau_info tag value as the Murano CLI writes it: percent-encoded UTF-8 JSON. */
function tag(info: unknown): string {
  return encodeURIComponent(JSON.stringify(info));
}

test("an otau_info tag is percent-decoded and its config_otau processed like a config", async () => {
  const device = await Device.start(norFlash());
  const body = image(100);
  const info = { author: "Rob Updater", vendor: "Acme", product: "IoT Gateway1", config_otau: JSON.parse(fileConfig(body, "1.0.1")) };
  device.config(TAG, tag(info));
  assert.deepEqual(device.names(1).slice(0, 2), ["INIT", "TEST"]);
  assert.equal(device.statuses[1].version, "1.0.1");
  assert.deepEqual(device.fetches, [{ url: FILE_URL, offset: 0 }]);
});

test("otau_info: '+' is a literal plus, not a space", async () => {
  const device = await Device.start(norFlash());
  const info = { config_otau: { version: "1.0.1+build", name: "n", type: "FILE", payload: FILE_URL } };
  device.config(TAG, tag(info).replace(/%2B/g, "+"));
  assert.equal(device.statuses[1].version, "1.0.1+build");
});

test("otau_info tags that are bad percent-encoding, bad UTF-8, not JSON or lack config_otau end in TEST_ERROR", async () => {
  const device = await Device.start(norFlash());
  const good = tag({ config_otau: { version: "1.0.1", name: "n", type: "FILE", payload: FILE_URL, sha256: "5a".repeat(32) } });
  const cases: [string, string][] = [
    ["%7B%22a%22%3A1%7", "otau_info is not valid percent-encoding (a '%' not followed by two hexadecimal digits)"],
    ["%7B%22a%22%3A%G1%7D", "otau_info is not valid percent-encoding (a '%' not followed by two hexadecimal digits)"],
    ["%", "otau_info is not valid percent-encoding (a '%' not followed by two hexadecimal digits)"],
    ["%7B%22a%22%3A%22%FF%22%7D", "otau_info is not valid JSON: invalid UTF-8 at byte 6"],
    ["%7B%22a%22%3A%22%C3%28%22%7D", "otau_info is not valid JSON: invalid UTF-8 at byte 6"],
    ["%7B%22a%22%3A%22%ED%A0%80%22%7D", "otau_info is not valid JSON: invalid UTF-8 at byte 6"],
    [good.slice(0, -3), "otau_info is not valid JSON: document ends inside a value at byte 172"],
    [tag({ author: "a" }), 'otau_info: field "config_otau" is required'],
    [tag({ config_otau: "x" }), 'otau_info: field "config_otau" must be object, not string'],
    [tag({ author: 1, config_otau: {} }), 'otau_info: field "author" must be string, not number'],
    [tag([1]), "otau_info must be a JSON object"],
    [tag({ config_otau: { version: "1.0.1", name: "n", type: "FILE" } }), 'otau_info.config_otau: field "payload" is required'],
  ];
  for (const [value, message] of cases) {
    device.config(TAG, value);
    assert.equal(device.last().status, "TEST_ERROR", value);
    assert.equal(device.last().message, message, value);
    assert.equal(device.agent.state(), 0);
  }
  device.config(TAG, good);
  assert.equal(device.fetches.length, 1, "a good tag still proceeds after all of them");
});
