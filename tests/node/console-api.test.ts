// The operator console's REST API (docs/console.md) over real loopback sockets: publishing
// an image lists it in Murano and Kaa and serves its bytes, applying writes config_otau or
// grants Kaa consent, the event stream pushes the new state, and every bad request gets a 4xx
// with a message naming the problem and changes nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { makeFirmwareImage, sha256Hex } from "../../firmware-sim/device/firmware-image.ts";
import { ConsoleServer } from "../../firmware-sim/console/console-server.ts";
import { Operator } from "../../firmware-sim/console/operator.ts";
import { KaaEmulator } from "../../firmware-sim/kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../../firmware-sim/murano/murano-emulator.ts";
import { ContentServer } from "../../firmware-sim/network/content-server.ts";

const TENANT = "tenant-1";
const APP = "app-1";
const image = makeFirmwareImage({ version: "2.0.0", size: 50_000 });
const murano = new MuranoEmulator();
const kaa = new KaaEmulator();
const content = new ContentServer();
let consoleServer: ConsoleServer;
let base: string;

before(async () => {
  await murano.start();
  await kaa.start();
  await content.start();
  kaa.platform.addTenant(TENANT);
  kaa.platform.createApplication(TENANT, APP, { consentRequired: true });
  murano.product.addIdentity("gw-1");
  murano.product.addIdentity("gw-2");
  kaa.platform.registerEndpoint(TENANT, APP, { endpointId: "ep-1", token: "ep-1" });
  consoleServer = new ConsoleServer(new Operator({ murano, kaa, content, tenant: TENANT, application: APP }));
  base = await consoleServer.start();
});

after(async () => {
  await consoleServer.stop();
  await Promise.all([murano.stop(), kaa.stop(), content.stop()]);
});

async function call(method: string, path: string, body?: Uint8Array | string): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, base), { method, body: typeof body === "string" || body === undefined ? body : new Uint8Array(body) });
  return { status: response.status, json: await response.json() };
}

function stateSnapshot(): string {
  return JSON.stringify({ packages: murano.product.contentIds(), software: kaa.platform.listSoftware(TENANT, APP), files: kaa.platform.storedFileKeys() });
}

describe("console REST API", () => {
  it("serves the page and the browser builds of Preact and htm", async () => {
    const page = await fetch(base);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="importmap">/);
    for (const path of ["/console.js", "/vendor/preact.mjs", "/vendor/hooks.mjs", "/vendor/htm.mjs"]) {
      const response = await fetch(new URL(path, base));
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get("content-type") ?? "", /javascript/, path);
    }
  });

  it("publishing an image lists a package_* item with its otau_info, defines the Kaa software, and serves the bytes at the config's URL", async () => {
    const events = await fetch(new URL("/api/events", base));
    const reader = events.body!.getReader();
    await reader.read(); // the state at connection time

    const { status, json } = await call("POST", "/api/packages?version=2.0.0&name=Gateway%20firmware&description=fixes", image);
    assert.equal(status, 201, JSON.stringify(json));
    assert.equal(json.id, "package_acme_iot-gateway1_2-0-0");
    assert.equal(json.sha256, sha256Hex(image));
    assert.equal(json.size, image.length);

    const listed = murano.product.packages();
    assert.deepEqual(listed.map((p) => [p.id, p.info.config_otau.version, p.info.config_otau.description]), [["package_acme_iot-gateway1_2-0-0", "2.0.0", "fixes"]]);
    const served = await fetch(String(listed[0].info.config_otau.payload));
    assert.equal(sha256Hex(new Uint8Array(await served.arrayBuffer())), sha256Hex(image));
    const software = kaa.platform.listSoftware(TENANT, APP);
    assert.deepEqual(software.map((s) => [s.version, s.specification.sha256]), [["2.0.0", sha256Hex(image)]]);

    const { value } = await reader.read();
    const event = new TextDecoder().decode(value);
    assert.match(event, /^event: state\ndata: /);
    assert.equal(JSON.parse(event.split("data: ")[1]).packages[0].id, "package_acme_iot-gateway1_2-0-0");
    await reader.cancel();
  });

  it("applying a package writes its config_otau to the chosen Murano devices and grants a Kaa endpoint consent to its version", async () => {
    const { status, json } = await call("POST", "/api/apply", JSON.stringify({ devices: ["gw-2", "ep-1"], packageId: "package_acme_iot-gateway1_2-0-0" }));
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json.applied, ["gw-2 (murano)", "ep-1 (kaa)"]);
    assert.equal(JSON.parse(murano.product.read("gw-2", "config_otau")!.value).version, "2.0.0");
    assert.equal(murano.product.read("gw-1", "config_otau"), undefined);
    assert.deepEqual(kaa.platform.endpointSnapshot(TENANT, APP, "ep-1").consents, ["2.0.0"]);
  });

  it("lists devices of both clouds with what their clouds heard", async () => {
    murano.product.deviceWrite("gw-2", "otau_in", JSON.stringify({ version: "2.0.0", status: "DOWNLOAD_STEP", message: "downloading file 1 of 1: 45% (22500 of 50000 bytes)" }));
    const { json } = await call("GET", "/api/devices");
    const gw2 = json.find((d: { id: string }) => d.id === "gw-2");
    assert.equal(gw2.cloud, "murano");
    assert.equal(gw2.lastStatus, "DOWNLOAD_STEP");
    assert.equal(gw2.progress, 45);
    assert.deepEqual(json.map((d: { id: string; cloud: string }) => `${d.id}:${d.cloud}`), ["gw-1:murano", "gw-2:murano", "ep-1:kaa"]);
  });

  const refusals: Array<[string, string, string, Uint8Array | string, number, RegExp]> = [
    ["a file that is not a firmware image", "POST", "/api/packages?version=3.0.0&name=x", new TextEncoder().encode("#!/bin/sh\necho hello\n"), 400, /not a firmware image/],
    ["an empty version", "POST", "/api/packages?version=&name=x", makeFirmwareImage({ version: "3.0.0", size: 1000 }), 400, /version must be 1 to 64 bytes, got 0/],
    ["an image whose header names another version", "POST", "/api/packages?version=3.0.0&name=x", makeFirmwareImage({ version: "3.0.1", size: 1000 }), 400, /header says version 3\.0\.1, not 3\.0\.0/],
    ["an empty upload", "POST", "/api/packages?version=3.0.0&name=x", new Uint8Array(0), 400, /the image is empty/],
    ["a package published twice", "POST", "/api/packages?version=2.0.0&name=again", image, 409, /already published/],
    ["a version Kaa cannot take", "POST", "/api/packages?version=build-7&name=x", makeFirmwareImage({ version: "build-7", size: 1000 }), 400, /Kaa refused version build-7/],
    ["an unknown device", "POST", "/api/apply", JSON.stringify({ devices: ["gw-9"], packageId: "package_acme_iot-gateway1_2-0-0" }), 404, /no device "gw-9"; known: gw-1, gw-2, ep-1/],
    ["an unknown package", "POST", "/api/apply", JSON.stringify({ device: "gw-1", packageId: "package_nope" }), 404, /no package "package_nope"/],
    ["no device chosen", "POST", "/api/apply", JSON.stringify({ devices: [], packageId: "package_acme_iot-gateway1_2-0-0" }), 400, /non-empty array/],
    ["a body that is not JSON", "POST", "/api/apply", "{devices", 400, /not JSON/],
    ["consent for an unknown version", "POST", "/api/kaa/consent", JSON.stringify({ endpoint: "ep-1", version: "9.9.9" }), 404, /no Kaa software version "9\.9\.9"/],
    ["an unknown route", "DELETE", "/api/packages", "", 404, /no such page or API: DELETE \/api\/packages/],
  ];
  for (const [what, method, path, body, expected, message] of refusals) {
    it(`refuses ${what} with ${expected} and changes nothing`, async () => {
      const before = stateSnapshot();
      const beforeConfig = murano.product.read("gw-1", "config_otau");
      const { status, json } = await call(method, path, body);
      assert.equal(status, expected);
      assert.match(json.error, message);
      assert.equal(stateSnapshot(), before);
      assert.equal(murano.product.read("gw-1", "config_otau"), beforeConfig);
    });
  }
});
