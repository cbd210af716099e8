// Hostile and invalid documents, generated: every prefix of valid documents, every field
// of every schema with every wrong JSON type, huge numbers, deep nesting, bad UTF-8,
// long strings, NUL bytes, duplicate keys, a BOM, and random mutations. Each must end in
// TEST_ERROR with a precise message, never trap (a trap throws AgentFatal and fails the
// test), keep memory at its one page, and leave the agent ready: a valid config after
// each one proceeds.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  Channel, ConfigSource, Device, FILE_URL, Setting, documentsDelivered, fileConfig, image, kaaResponse, norFlash, sha256Hex,
} from "./support/engine-device.ts";

after(() => console.log(`engine-hostile: ${documentsDelivered} documents delivered to the agent`));

const MURANO = ConfigSource.MuranoConfigOtau;
const TAG = ConfigSource.MuranoOtauInfo;
const KAA = ConfigSource.KaaResponse;
const PAGE = 65536;

/** A valid JSON config (applied at once, no download): proves the agent takes the next document. */
const READY_CHECK = JSON.stringify({ version: "9.9.9", name: "probe", type: "JSON", payload: { probe: true } });

/** Delivers `document`, expects TEST_ERROR with `message`, then checks the agent still proceeds. */
function refuses(device: Device, source: ConfigSource, document: string | Uint8Array, message: string | RegExp): void {
  const label = typeof document === "string" ? document.slice(0, 80) : `bytes ${Buffer.from(document).toString("hex").slice(0, 80)}`;
  device.config(source, document);
  const status = device.last();
  assert.equal(status.status, "TEST_ERROR", label);
  if (typeof message === "string") assert.equal(status.message, message, label);
  else assert.match(status.message, message, label);
  assert.equal(device.agent.state(), 0, `idle after ${label}`);
  const applied = device.appliedJson.length;
  device.config(MURANO, READY_CHECK);
  assert.equal(device.appliedJson.length, applied + 1, `the next config proceeds after ${label}`);
  assert.equal(device.last().status, "INSTALL_SUCCESS");
  assert.equal(device.agent.memory.buffer.byteLength, PAGE);
}

const VALID_CONFIG = fileConfig(image(1000), "1.1.0", { description: "nightly é €" });

test("every prefix of a valid config_otau, otau_info tag and cmx_ota response is refused as truncated", async () => {
  const device = await Device.start(norFlash());
  const kaaDevice = await Device.start(norFlash(), { settings: [[Setting.Cloud, 1]] });
  const bytes = Buffer.from(VALID_CONFIG, "utf8");
  for (let n = 0; n < bytes.length; n++) {
    // A cut inside a multi-byte character is reported as the end of the document too.
    refuses(device, MURANO, bytes.subarray(0, n), n === 0
      ? "config_otau is not valid JSON: empty document at byte 0"
      : `config_otau is not valid JSON: document ends inside a value at byte ${n}`);
  }
  const tag = encodeURIComponent(JSON.stringify({ author: "a", config_otau: JSON.parse(VALID_CONFIG) }));
  for (let n = 0; n < tag.length; n++) {
    refuses(device, TAG, tag.slice(0, n),
      /^otau_info is not valid (percent-encoding \(a '%' not followed by two hexadecimal digits\)|JSON: (empty document|document ends inside a value) at byte \d+)$/);
  }
  const response = kaaResponse(image(1000));
  for (let n = 0; n < response.length; n++) {
    kaaDevice.config(KAA, response.slice(0, n));
    assert.equal(kaaDevice.last().status, "TEST_ERROR");
    assert.match(kaaDevice.last().message, /^cmx_ota response is not valid JSON: (empty document|document ends inside a value) at byte \d+$/);
    assert.equal(kaaDevice.applied.length, 1, "no applied without a configId");
  }
  kaaDevice.config(KAA, response);
  assert.equal(kaaDevice.fetches.length, 1, "the full response proceeds");
});

// Every schema the agent matches (assembly/manifest), with the types each field accepts.
const TYPE_VALUES: Record<string, unknown> = { string: "x", number: 1, object: {}, array: [], boolean: true, null: null };
const TYPE_ORDER = ["string", "number", "object", "array", "boolean", "null"];
type Schema = { what: string; source: ConfigSource; fields: Record<string, string[]>; wrap: (member: Record<string, unknown>) => string };
const CONFIG_FIELDS = {
  version: ["string"], name: ["string"], description: ["string"], type: ["string"], payload: ["string", "object", "array"],
  sha256: ["string", "array"], size: ["number", "array"], signature: ["string"], keyId: ["string"], slots: ["object"],
};
/** A release with a build per slot; a fresh device writes slot B. */
const SLOT_ENTRY = { payload: FILE_URL, sha256: sha256Hex(image(1000)), size: 1000 };
const withSlots = (slots: Record<string, unknown>): string => JSON.stringify({ ...JSON.parse(VALID_CONFIG), slots });
const SCHEMAS: Schema[] = [
  { what: "config_otau", source: MURANO, fields: CONFIG_FIELDS, wrap: (m) => JSON.stringify({ ...JSON.parse(VALID_CONFIG), ...m }) },
  {
    what: "otau_info.config_otau", source: TAG, fields: CONFIG_FIELDS,
    wrap: (m) => encodeURIComponent(JSON.stringify({ config_otau: { ...JSON.parse(VALID_CONFIG), ...m } })),
  },
  {
    what: "otau_info", source: TAG, fields: { author: ["string"], vendor: ["string"], product: ["string"], config_otau: ["object"] },
    wrap: (m) => encodeURIComponent(JSON.stringify({ config_otau: JSON.parse(VALID_CONFIG), ...m })),
  },
  {
    what: "cmx_ota response", source: KAA,
    fields: { configId: ["string"], config: ["object"], statusCode: ["number"], reasonPhrase: ["string"] },
    wrap: (m) => JSON.stringify({ ...JSON.parse(kaaResponse(image(10))), ...m }),
  },
  {
    what: "config", source: KAA,
    fields: {
      link: ["string"], links: ["array"], sha256: ["string", "array"], size: ["number", "array"], upgradableFrom: ["array"],
      signature: ["string"], keyId: ["string"], slots: ["object"],
    },
    wrap: (m) => JSON.stringify({ configId: "1.1.0", config: { ...JSON.parse(kaaResponse(image(10))).config, ...m } }),
  },
  { what: "slots", source: MURANO, fields: { A: ["object"], B: ["object"] }, wrap: (m) => withSlots({ A: SLOT_ENTRY, B: SLOT_ENTRY, ...m }) },
  {
    what: "slots.B", source: MURANO, fields: { payload: ["string"], sha256: ["string"], size: ["number"] },
    wrap: (m) => withSlots({ B: { ...SLOT_ENTRY, ...m } }),
  },
  {
    what: "slots.A", source: KAA, fields: { link: ["string"], sha256: ["string"], size: ["number"] },
    wrap: (m) => JSON.stringify({
      configId: "1.1.0", config: { ...JSON.parse(kaaResponse(image(10))).config, slots: { A: { link: FILE_URL, ...m }, B: { link: FILE_URL } } },
    }),
  },
];

test("every field of every schema given each wrong JSON type is refused naming the field, the expected and the actual type", async () => {
  const device = await Device.start(norFlash());
  let cases = 0;
  for (const schema of SCHEMAS) {
    for (const [field, accepted] of Object.entries(schema.fields)) {
      for (const type of TYPE_ORDER.filter((t) => !accepted.includes(t))) {
        const expected = accepted.slice().sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b)).join(" or ");
        refuses(device, schema.source, schema.wrap({ [field]: TYPE_VALUES[type] }),
          `${schema.what}: field "${field}" must be ${expected}, not ${type}`);
        cases++;
      }
    }
  }
  assert.equal(cases, 10 * 6 - 14 + (10 * 6 - 14) + (4 * 5) + (4 * 5) + (8 * 6 - 10) + 2 * 5 + 3 * 5 + 3 * 5, "every field × every wrong type");
});

test("hostile values are refused with a message naming the field and the value", async () => {
  const device = await Device.start(norFlash());
  const config = (extra: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(VALID_CONFIG), ...extra });
  const raw = (text: string) => Buffer.from(text, "latin1");
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const cases: [string | Uint8Array, string | RegExp][] = [
    [VALID_CONFIG.replace('"size":1000', '"size":1e400'), 'field "size" must be a whole number of bytes below 4 GiB, not 1e400'],
    [config({ size: -1 }), 'field "size" must be a whole number of bytes below 4 GiB, not -1'],
    [VALID_CONFIG.replace('"size":1000', '"size":9007199254740993'), 'field "size" must be a whole number of bytes below 4 GiB, not 9007199254740993'],
    [VALID_CONFIG.replace('"size":1000', `"size":${"9".repeat(400)}`), /^field "size" must be a whole number of bytes below 4 GiB, not 9{300,}/],
    [VALID_CONFIG.replace('"size":1000', '"size":01'), /^config_otau is not valid JSON: malformed number at byte \d+$/],
    [config({ payload: JSON.parse(nested(16)) }), /^config_otau is not valid JSON: nesting deeper than the limit at byte \d+$/],
    [nested(10_000).slice(0, 4000), "config_otau is not valid JSON: nesting deeper than the limit at byte 16"],
    [raw(VALID_CONFIG.replace("sensor firmware", "sensor \xc3\x28")), /^config_otau is not valid JSON: invalid UTF-8 at byte \d+$/],
    [raw(VALID_CONFIG.replace("sensor firmware", "\xed\xa0\x80")), /^config_otau is not valid JSON: invalid UTF-8 at byte \d+$/],
    [raw(VALID_CONFIG.replace("sensor firmware", "\xc0\xaf")), /^config_otau is not valid JSON: invalid UTF-8 at byte \d+$/],
    [VALID_CONFIG.replace("sensor firmware", "\\ud800"), /^config_otau is not valid JSON: unpaired UTF-16 surrogate in a \\u escape at byte \d+$/],
    [VALID_CONFIG.replace("sensor firmware", "\\x41"), /^config_otau is not valid JSON: invalid escape in a string at byte \d+$/],
    [config({ type: "TARBALL" }), 'field "type" must be FILE, JSON or URL_LIST, not "TARBALL"'],
    [config({ type: "file" }), 'field "type" must be FILE, JSON or URL_LIST, not "file"'],
    [config({ type: "" }), 'field "type" must be FILE, JSON or URL_LIST, not ""'],
    [config({ version: "" }), 'field "version" is empty'],
    [config({ version: "v".repeat(65) }), 'field "version" is longer than 64 bytes'],
    [config({ name: "x".repeat(10 * 1024) }), /^config_otau is 10\d{3} bytes; the limit is 4096$/],
    [config({ payload: `http://a/${"p".repeat(3000)}` }), 'field "payload" has URLs longer than the 2048 bytes left for them'],
    [config({ payload: "http://files.test/fw.bin\u0000.evil" }), 'file 1 URL has byte 0x00 at 24, which a URL cannot hold (control, space or non-ASCII)'],
    [config({ payload: "http://files.test/a b" }), 'file 1 URL has byte 0x20 at 19, which a URL cannot hold (control, space or non-ASCII)'],
    [config({ payload: "http://fíles.test/" }), 'file 1 URL has byte 0xc3 at 8, which a URL cannot hold (control, space or non-ASCII)'],
    [raw(VALID_CONFIG.replace("sensor firmware", "a\x00b")), /^config_otau is not valid JSON: unescaped control character in a string at byte \d+$/],
    [VALID_CONFIG.replace("{", '{"version":"1.2.0",'), 'config_otau: field "version" appears more than once'],
    [VALID_CONFIG.replace("{", '{"payload":"http://a/b",'), 'config_otau: field "payload" appears more than once'],
    [raw("\xef\xbb\xbf" + VALID_CONFIG), "config_otau is not valid JSON: unexpected character at byte 0"],
    [VALID_CONFIG + " x", /^config_otau is not valid JSON: data after the JSON value at byte \d+$/],
    [VALID_CONFIG + VALID_CONFIG, /^config_otau is not valid JSON: data after the JSON value at byte \d+$/],
    ["   \n\t ", "config_otau is not valid JSON: empty document at byte 6"],
    ["null", "config_otau must be a JSON object"],
    ['"FILE"', "config_otau must be a JSON object"],
    ["[" + VALID_CONFIG + "]", "config_otau must be a JSON object"],
    ["{}", 'config_otau: field "version" is required'],
    [JSON.stringify({ version: "1.1.0", name: "n", type: "FILE" }), 'config_otau: field "payload" is required'],
    [JSON.stringify({ version: "1.1.0", type: "FILE", payload: FILE_URL }), 'config_otau: field "name" is required'],
    [raw(VALID_CONFIG.replace('"FILE"', '"FI\xffLE"')), /^config_otau is not valid JSON: invalid UTF-8 at byte \d+$/],
  ];
  for (const [document, message] of cases) refuses(device, MURANO, document, message);
  assert.equal(device.fetches.length, 0, "none of them started a download");
});

test("duplicate keys: a field the agent reads may appear once; unknown keys are ignored, repeated or not", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, VALID_CONFIG.replace("{", '{"x-note":1,"x-note":2,'));
  assert.equal(device.fetches.length, 1);
});

test("a 10 KiB description or name inside the buffer limit is no error: names are cut, descriptions ignored", async () => {
  const device = await Device.start(norFlash());
  device.config(MURANO, JSON.stringify({ ...JSON.parse(VALID_CONFIG), name: "n".repeat(1500), description: "d".repeat(2000) }));
  assert.equal(device.fetches.length, 1);
});

test("random mutations of valid documents never trap, every report is valid JSON, and memory stays one page", async () => {
  const device = await Device.start(norFlash());
  const seeds = [
    [MURANO, VALID_CONFIG],
    [MURANO, JSON.stringify({ version: "2.0.0", name: "b", type: "URL_LIST", payload: ["http://a/1", "https://b/2"], size: [1, 2] })],
    [TAG, encodeURIComponent(JSON.stringify({ author: "a", config_otau: JSON.parse(VALID_CONFIG) }))],
    [KAA, kaaResponse(image(10), "1.1.0", { upgradableFrom: ["1.0.0"] })],
  ] as const;
  const special = [0x00, 0x22, 0x2c, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x25, 0x80, 0xc3, 0xed, 0xff, 0x30, 0x2d, 0x65];
  let x = 0x2545f491;
  const next = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const ITERATIONS = 3000;
  for (let i = 0; i < ITERATIONS; i++) {
    const [source, seed] = seeds[i % seeds.length];
    const bytes = Array.from(Buffer.from(seed, "utf8"));
    for (let edits = 1 + next(3); edits > 0; edits--) {
      const at = next(bytes.length + 1);
      const byte = next(2) ? special[next(special.length)] : next(256);
      const kind = next(4);
      if (kind === 0) bytes[at] = byte;
      else if (kind === 1) bytes.splice(at, 0, byte);
      else if (kind === 2) bytes.splice(at, 1);
      else bytes.length = at;
    }
    device.config(source, Uint8Array.from(bytes));
    device.config(MURANO, READY_CHECK);
    assert.equal(device.last().status, "INSTALL_SUCCESS", `the agent proceeds after mutation ${i}`);
  }
  assert.equal(device.agent.memory.buffer.byteLength, PAGE);
  for (const { channel, text } of device.raw) {
    assert.doesNotThrow(() => JSON.parse(text), `report on channel ${channel} is JSON: ${text.slice(0, 80)}`);
    assert.ok(channel === Channel.MuranoOtauIn || channel === Channel.KaaApplied || channel === Channel.KaaStatus);
  }
});

test("10,000 documents of each kind in a row, valid and not, do not grow the agent's memory", async () => {
  const device = await Device.start(norFlash(), { settings: [[Setting.Cloud, 1]] });
  const kinds: [ConfigSource, string][] = [
    [MURANO, fileConfig(image(4), "1.0.0")],
    [TAG, encodeURIComponent(JSON.stringify({ config_otau: JSON.parse(fileConfig(image(4), "1.0.0")) }))],
    [KAA, kaaResponse(image(4), "1.0.0")],
    [MURANO, "[".repeat(64)],
    [KAA, '{"statusCode":503,"reasonPhrase":"busy"}'],
  ];
  for (const [source, document] of kinds) {
    for (let i = 0; i < 10_000; i++) device.config(source, document);
  }
  assert.equal(device.agent.memory.buffer.byteLength, PAGE);
  assert.equal(device.statuses.filter((s) => s.status === "INSTALLED_VERSION").length, 1 + 30_000);
  assert.equal(device.statuses.filter((s) => s.status === "TEST_ERROR").length, 10_000);
});
