// End to end over real sockets on 127.0.0.1: agent.wasm in a simulated device updates from
// 1.0.0 to 2.0.0 through each cloud transport, boots the new image on trial, confirms it,
// and the cloud hears the outcome.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Setting } from "../../firmware-sim/agent/agent-instance.ts";
import { KaaMqttLink } from "../../firmware-sim/device/kaa-mqtt-link.ts";
import { runsConfirmed, waitFor } from "../../firmware-sim/device/loopback-device.ts";
import { MuranoHttpLink } from "../../firmware-sim/device/murano-http-link.ts";
import { MuranoMqttLink } from "../../firmware-sim/device/murano-mqtt-link.ts";
import { KaaEmulator } from "../../firmware-sim/kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../../firmware-sim/murano/murano-emulator.ts";
import { ContentServer } from "../../firmware-sim/network/content-server.ts";
import { E2eRig, NEW_VERSION, OLD_VERSION, configOtau, holdsImage, newImage, newImageSha256 } from "./support/e2e.ts";

const rig = new E2eRig();
let murano: MuranoEmulator;
let content: ContentServer;
let kaa: KaaEmulator;

before(async () => {
  murano = await rig.started(new MuranoEmulator());
  content = await rig.started(new ContentServer());
  kaa = await rig.started(new KaaEmulator());
  content.serveBytes("/fw-2.0.0.bin", newImage);
  murano.product.publishPackage("package_acme_gw_2-0-0", {
    author: "Test", vendor: "Acme", product: "Gateway", config_otau: configOtau(content.url("/fw-2.0.0.bin")) as never,
  });
});
after(() => rig.teardown());

const EXPECTED_MURANO_STATUSES = [
  "INSTALLED_VERSION", "INIT", "TEST", "TEST_STEP", "TEST_SUCCESS", "DOWNLOAD", "DOWNLOAD_STEP", "DOWNLOAD_SUCCESS",
  "INSTALL", "INSTALL_STEP", "INSTALL_SUCCESS", "INSTALLED_VERSION",
];

/** The product's otau_in history as statuses, repeated steps folded into one. */
function statusTrail(identity: string): string[] {
  return murano.product.statusHistory(identity)
    .map((entry) => entry.document?.status ?? `invalid: ${entry.error}`)
    .filter((status, i, all) => !status.endsWith("_STEP") || all[i - 1] !== status);
}

/**
 * The links ask for config_otau again at every boot (HTTP reads it, MQTT gets the unacknowledged
 * write again). Whether that read of the trial boot lands
 * before the application confirms (the agent ignores the same update during its trial) or after
 * (the agent answers INSTALLED_VERSION once more) is a race of the harness; the trail must be one
 * update, then at most that one answer.
 */
function assertOneUpdateTrail(identity: string): void {
  const trail = statusTrail(identity);
  const rest = trail.slice(EXPECTED_MURANO_STATUSES.length);
  assert.deepEqual(trail.slice(0, EXPECTED_MURANO_STATUSES.length), EXPECTED_MURANO_STATUSES);
  assert.ok(rest.length === 0 || (rest.length === 1 && rest[0] === "INSTALLED_VERSION"), `after the update only the re-read's INSTALLED_VERSION may follow: ${rest.join(", ")}`);
  assert.equal(murano.product.statusHistory(identity).at(-1)?.document?.version, NEW_VERSION);
}

describe("a device updates through each cloud transport", () => {
  it("over the Murano HTTP Device API: activation, long-polled config_otau, otau_in writes", async () => {
    const identity = "gw-http";
    murano.product.addIdentity(identity);
    const link = new MuranoHttpLink({ url: murano.urls.http, identity, pollTimeoutMs: 5_000 });
    const device = await rig.device(identity, link);
    device.powerOn();
    // The package is applied while the device's long-poll is waiting.
    await murano.product.waitForStatus(identity, (s) => s.status === "INSTALLED_VERSION" && s.version === OLD_VERSION, 10_000);
    murano.product.applyPackage(identity, "package_acme_gw_2-0-0");
    await waitFor(device, runsConfirmed(NEW_VERSION), 20_000, "2.0.0 confirmed");
    await link.flushed();
    assertOneUpdateTrail(identity);
    assert.ok(holdsImage(device.flash.bytes(2), newImage), "slot B holds the new image byte for byte");
    assert.deepEqual(device.boots.map((b) => [b.version, b.onTrial]), [[OLD_VERSION, false], [NEW_VERSION, true]]);
    assert.deepEqual(link.errors, []);
  });

  it("over the Murano MQTT Device API: config_otau write delivered, otau_in published, the write acknowledged by echo", async () => {
    const identity = "gw-mqtt";
    murano.product.addIdentity(identity);
    const link = new MuranoMqttLink({ httpUrl: murano.urls.http, mqttUrl: murano.urls.mqtt, identity });
    const device = await rig.device(identity, link);
    device.powerOn();
    await murano.product.waitForStatus(identity, (s) => s.status === "INSTALLED_VERSION" && s.version === OLD_VERSION, 10_000);
    murano.product.applyPackage(identity, "package_acme_gw_2-0-0");
    await waitFor(device, runsConfirmed(NEW_VERSION), 20_000, "2.0.0 confirmed");
    const since = 1; // skip the boot report of 1.0.0
    await murano.product.waitForStatus(identity, (s) => s.status === "INSTALLED_VERSION" && s.version === NEW_VERSION, 10_000, { since });
    assertOneUpdateTrail(identity);
    assert.ok(murano.product.isAcknowledged(identity, "config_otau"), "the device echoed config_otau once it was installed");
    assert.ok(holdsImage(device.flash.bytes(2), newImage));
    assert.deepEqual(link.errors, []);
  });

  it("over Kaa 1/KP MQTT: cmx_ota config request with observe, presigned download, applied report", async () => {
    const platform = kaa.platform;
    platform.addTenant("acme");
    platform.createApplication("acme", "gateway");
    platform.createSoftware("acme", "gateway", {
      version: NEW_VERSION, upgradableFrom: [OLD_VERSION], rolloutStrategy: "general",
      specification: { sha256: newImageSha256, size: newImage.length },
    });
    platform.uploadFile("acme", "gateway", NEW_VERSION, newImage);
    const { endpointId, token } = platform.registerEndpoint("acme", "gateway", { token: "gw-kaa" });
    const link = new KaaMqttLink({ mqttUrl: kaa.urls.mqtt, application: "gateway", token });
    const device = await rig.device("gw-kaa", link, { settings: { [Setting.Cloud]: 1 } });
    device.powerOn();
    await waitFor(device, runsConfirmed(NEW_VERSION), 20_000, "2.0.0 confirmed");
    const applied = await platform.waitForApplied("acme", "gateway", endpointId, (r) => r.configId === NEW_VERSION, 10_000);
    assert.equal(applied.success, true);
    // As over Murano HTTP: the config asked for again after the trial reset may be answered after
    // the confirmation, with the same applied report once more.
    const reports = platform.endpointSnapshot("acme", "gateway", endpointId).applied.map((r) => [r.configId, r.success]);
    assert.deepEqual(reports.slice(0, 2), [[OLD_VERSION, true], [NEW_VERSION, true]]);
    assert.ok(reports.length <= 3 && reports.slice(2).every(([version, ok]) => version === NEW_VERSION && ok), JSON.stringify(reports));
    assert.ok(holdsImage(device.flash.bytes(2), newImage));
    assert.match(link.configs[0], /"configId":"2\.0\.0".*"link":"http:\/\/127\.0\.0\.1:\d+\/files\/acme\/gateway\/2\.0\.0\/firmware\.bin\?expires=\d+&signature=[0-9a-f]+"/);
    assert.equal(link.statuses.at(-1)?.status, "INSTALLED_VERSION");
  });
});
