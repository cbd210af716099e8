// Golden traces of the OTAU engine in Node: a config and scripted host events in, the
// exact otau_in documents out. The network is scripted in-process; flash is a RAM model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { AgentInstance, Channel, ConfigSource, FlashImports } from "../../firmware-sim/agent/agent-instance.ts";

const SECTOR = 4096;
const AREAS = [8 * SECTOR, 64 * SECTOR, 64 * SECTOR]; // boot record, slot A, slot B

/** A RAM flash with NOR rules (erase whole sectors, write only erased bytes): enough for traces. */
function ramFlash() {
  const areas = AREAS.map((size) => new Uint8Array(size).fill(0xff));
  let resets = 0;
  const imports = (memory: () => WebAssembly.Memory): FlashImports => ({
    flash_info(area, out) {
      if (!areas[area]) return -1;
      new DataView(memory().buffer).setUint32(out, areas[area].length, true);
      new DataView(memory().buffer).setUint32(out + 4, SECTOR, true);
      new DataView(memory().buffer).setUint32(out + 8, 4, true);
      new DataView(memory().buffer).setUint32(out + 12, 0xff, true);
      return 0;
    },
    flash_read(area, offset, ptr, len) {
      if (!areas[area]) return -1;
      if (offset + len > areas[area].length) return -2;
      new Uint8Array(memory().buffer, ptr, len).set(areas[area].subarray(offset, offset + len));
      return 0;
    },
    flash_write(area, offset, ptr, len) {
      if (!areas[area]) return -1;
      if (offset + len > areas[area].length) return -2;
      if (offset % 4 || len % 4) return -3;
      const target = areas[area].subarray(offset, offset + len);
      if (target.some((b) => b !== 0xff)) return -4;
      target.set(new Uint8Array(memory().buffer, ptr, len));
      return 0;
    },
    flash_erase(area, offset, len) {
      if (!areas[area]) return -1;
      if (offset + len > areas[area].length) return -2;
      if (offset % SECTOR || len % SECTOR) return -3;
      areas[area].fill(0xff, offset, offset + len);
      return 0;
    },
  });
  return { areas, imports, resetCount: () => resets, noteReset: () => resets++ };
}

interface Trace { status: string; version: string; message: string }

async function device(flash: ReturnType<typeof ramFlash>, fetches: { url: string; offset: number }[]) {
  const trace: Trace[] = [];
  const agent = await AgentInstance.load({
    flash: flash.imports,
    report: (channel, document) => {
      if (channel === Channel.MuranoOtauIn) trace.push(JSON.parse(document));
    },
    fetch: (url, offset) => {
      fetches.push({ url, offset });
      return 0;
    },
    reset: () => flash.noteReset(),
  });
  return { agent, trace };
}

function config(image: Uint8Array, version = "1.1.0", extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    version, name: "sensor firmware", type: "FILE", payload: "http://files.test/fw.bin",
    sha256: createHash("sha256").update(image).digest("hex"), size: image.length, ...extra,
  });
}

test("a FILE update reports INIT, TEST, DOWNLOAD and INSTALL in the schema's order, then resets into the trial", async () => {
  const flash = ramFlash();
  const fetches: { url: string; offset: number }[] = [];
  const { agent, trace } = await device(flash, fetches);
  assert.equal(agent.boot("1.0.0"), 0);
  assert.deepEqual(trace.map((t) => [t.status, t.version]), [["INSTALLED_VERSION", "1.0.0"]]);

  const image = randomBytes(100_000);
  agent.onConfig(ConfigSource.MuranoConfigOtau, config(image));
  assert.deepEqual(fetches, [{ url: "http://files.test/fw.bin", offset: 0 }]);
  agent.onResponse(200, 0, image.length);
  agent.onData(image);
  agent.onDataEnd(true);

  // The exact sequence, with the rate-limited DOWNLOAD_STEPs collapsed into one entry.
  const statuses = trace.map((t) => t.status).filter((s, i, all) => s !== "DOWNLOAD_STEP" || all[i - 1] !== "DOWNLOAD_STEP");
  assert.deepEqual(statuses, [
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
  assert.equal(flash.resetCount(), 1, "the agent asked for a reset after arming the trial");
  assert.deepEqual(Buffer.from(flash.areas[2].subarray(0, image.length)), image, "slot B holds the image");
});

test("a config whose version is installed answers INSTALLED_VERSION and downloads nothing", async () => {
  const flash = ramFlash();
  const fetches: { url: string; offset: number }[] = [];
  const { agent, trace } = await device(flash, fetches);
  agent.boot("1.0.0");
  agent.onConfig(ConfigSource.MuranoConfigOtau, config(randomBytes(10), "1.0.0"));
  assert.deepEqual(trace.map((t) => t.status), ["INSTALLED_VERSION", "INSTALLED_VERSION"]);
  assert.equal(fetches.length, 0);
});

test("a corrupted download is retried and ends in DOWNLOAD_ERROR naming both digests after the last attempt", async () => {
  const flash = ramFlash();
  const fetches: { url: string; offset: number }[] = [];
  const { agent, trace } = await device(flash, fetches);
  agent.configure(3, 2); // MaxAttempts
  agent.boot("1.0.0");
  const image = randomBytes(5000);
  agent.onConfig(ConfigSource.MuranoConfigOtau, config(image));
  const corrupt = Buffer.from(image);
  corrupt[10] ^= 1;
  let now = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    agent.onResponse(200, 0, image.length);
    agent.onData(corrupt);
    agent.onDataEnd(true);
    now += 60_000;
    agent.onTick(now);
  }
  const last = trace.at(-1)!;
  assert.equal(last.status, "DOWNLOAD_ERROR");
  assert.match(last.message, /gave up after 2 attempts: sha256 of file 1 of 1 as read back from flash is [0-9a-f]{64}; expected [0-9a-f]{64}/);
  assert.equal(fetches.length, 2);
  assert.equal(agent.state(), 0, "the agent is idle and ready for the next config");
});

test("invalid documents end in TEST_ERROR with a precise message and never trap", async () => {
  const flash = ramFlash();
  const { agent, trace } = await device(flash, []);
  agent.boot("1.0.0");
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
    agent.onConfig(ConfigSource.MuranoConfigOtau, document);
    const reports = trace.slice(before).map((t) => t.status);
    assert.equal(reports.at(-1), "TEST_ERROR", `a TEST_ERROR for ${String(document).slice(0, 60)}`);
    assert.match(trace.at(-1)!.message, expected);
    assert.equal(agent.state(), 0);
  }
});

test("10,000 documents in a row do not grow the agent's memory (one fixed page)", async () => {
  const flash = ramFlash();
  const { agent, trace } = await device(flash, []);
  agent.boot("1.0.0");
  for (let i = 0; i < 10_000; i++) agent.onConfig(ConfigSource.MuranoConfigOtau, config(randomBytes(4), "1.0.0"));
  assert.equal(agent.memory.buffer.byteLength, 65536);
  assert.equal(trace.length, 10_001);
});
