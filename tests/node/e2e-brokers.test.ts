// End to end through the MQTT a deployment would use: a simulated device updates over Murano
// MQTT and over Kaa 1/KP (1) through a real mosquitto broker the emulators attach to, started
// by the test, (2) through a mosquitto bridged to the Kaa emulator's own broker, and (3) over
// MQTT TLS to the emulators' own brokers, verifying the CA made for the run.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Setting } from "../../firmware-sim/agent/agent-instance.ts";
import { KaaMqttLink } from "../../firmware-sim/device/kaa-mqtt-link.ts";
import { runsConfirmed, waitFor } from "../../firmware-sim/device/loopback-device.ts";
import { MuranoMqttLink } from "../../firmware-sim/device/murano-mqtt-link.ts";
import { KaaEmulator } from "../../firmware-sim/kaa/kaa-emulator.ts";
import { MuranoEmulator } from "../../firmware-sim/murano/murano-emulator.ts";
import { ContentServer } from "../../firmware-sim/network/content-server.ts";
import { makeTlsCredentials, type TlsCredentials } from "../../firmware-sim/network/tls-credentials.ts";
import { E2eRig, NEW_VERSION, OLD_VERSION, configOtau, holdsImage, newImage, newImageSha256 } from "./support/e2e.ts";
import { MosquittoBroker } from "./support/mosquitto-broker.ts";

function release(kaa: KaaEmulator, token: string): string {
  const platform = kaa.platform;
  platform.addTenant("acme");
  platform.createApplication("acme", "gateway");
  platform.createSoftware("acme", "gateway", {
    version: NEW_VERSION, upgradableFrom: [OLD_VERSION], rolloutStrategy: "general",
    specification: { sha256: newImageSha256, size: newImage.length },
  });
  platform.uploadFile("acme", "gateway", NEW_VERSION, newImage);
  return platform.registerEndpoint("acme", "gateway", { token }).endpointId;
}

async function muranoUpdate(rig: E2eRig, murano: MuranoEmulator, content: ContentServer, link: MuranoMqttLink, identity: string): Promise<void> {
  const device = await rig.device(identity, link);
  device.powerOn();
  await murano.product.waitForStatus(identity, (s) => s.status === "INSTALLED_VERSION" && s.version === OLD_VERSION, 10_000);
  murano.product.cloudWrite(identity, "config_otau", JSON.stringify(configOtau(content.url("/fw-2.0.0.bin"))));
  await waitFor(device, runsConfirmed(NEW_VERSION), 20_000, "2.0.0 confirmed");
  await murano.product.waitForStatus(identity, (s) => s.status === "INSTALLED_VERSION" && s.version === NEW_VERSION, 10_000, { since: 1 });
  assert.ok(holdsImage(device.flash.bytes(2), newImage));
  assert.deepEqual(link.errors, []);
}

async function kaaUpdate(rig: E2eRig, kaa: KaaEmulator, link: KaaMqttLink, endpointId: string): Promise<void> {
  const device = await rig.device("gw-kaa", link, { settings: { [Setting.Cloud]: 1 } });
  device.powerOn();
  await waitFor(device, runsConfirmed(NEW_VERSION), 20_000, "2.0.0 confirmed");
  const applied = await kaa.platform.waitForApplied("acme", "gateway", endpointId, (r) => r.configId === NEW_VERSION, 10_000);
  assert.equal(applied.success, true);
  assert.ok(holdsImage(device.flash.bytes(2), newImage));
}

describe("through a real mosquitto broker the emulators attach to", () => {
  const rig = new E2eRig();
  let mosquitto: MosquittoBroker;
  let murano: MuranoEmulator;
  let kaa: KaaEmulator;
  let content: ContentServer;

  before(async () => {
    mosquitto = await MosquittoBroker.start();
    murano = await rig.started(new MuranoEmulator({ mqtt: { broker: { url: mosquitto.url } } }));
    kaa = await rig.started(new KaaEmulator({ kp1: { broker: { url: mosquitto.url } } }));
    content = await rig.started(new ContentServer());
    content.serveBytes("/fw-2.0.0.bin", newImage);
  });
  after(async () => {
    await rig.teardown();
    await mosquitto.stop();
  });

  it("reports the broker's URL as the emulators' MQTT URL", () => {
    assert.equal(murano.urls.mqtt, mosquitto.url);
    assert.equal(kaa.urls.mqtt, mosquitto.url);
  });

  it("updates a device over Murano MQTT through mosquitto (topics under murano/<token>/)", async () => {
    murano.product.addIdentity("gw-mosq");
    const link = new MuranoMqttLink({ httpUrl: murano.urls.http, mqttUrl: mosquitto.url, identity: "gw-mosq", externalBroker: true });
    await muranoUpdate(rig, murano, content, link, "gw-mosq");
    assert.ok(murano.product.isAcknowledged("gw-mosq", "config_otau"), "the echo came back through mosquitto");
  });

  it("updates a device over Kaa 1/KP through mosquitto", async () => {
    const endpointId = release(kaa, "gw-kaa-mosq");
    await kaaUpdate(rig, kaa, new KaaMqttLink({ mqttUrl: mosquitto.url, application: "gateway", token: "gw-kaa-mosq" }), endpointId);
  });
});

describe("through a mosquitto bridged to the Kaa emulator's own broker", () => {
  const rig = new E2eRig();
  let mosquitto: MosquittoBroker;
  let kaa: KaaEmulator;

  before(async () => {
    kaa = await rig.started(new KaaEmulator());
    // A bridge also publishes its own state to $SYS/broker/connection/<name>/state on the remote side.
    const bridge = `connection kaa-emulator\naddress ${new URL(kaa.urls.mqtt).host}\ntopic kp1/gateway/cmx_ota/gw-bridged/# both 1\n`;
    mosquitto = await MosquittoBroker.start({}, bridge);
  });
  after(async () => {
    await rig.teardown();
    await mosquitto.stop();
  });

  it("updates a Kaa device connected to mosquitto, its requests and the replies crossing the bridge", async () => {
    const endpointId = release(kaa, "gw-bridged");
    await kaaUpdate(rig, kaa, new KaaMqttLink({ mqttUrl: mosquitto.url, application: "gateway", token: "gw-bridged" }), endpointId);
  });
});

describe("over MQTT TLS, the devices verifying the run's CA", () => {
  const rig = new E2eRig();
  let tls: TlsCredentials;
  let murano: MuranoEmulator;
  let kaa: KaaEmulator;
  let content: ContentServer;

  before(async () => {
    tls = await makeTlsCredentials();
    murano = await rig.started(new MuranoEmulator({ mqtt: { tls } }));
    kaa = await rig.started(new KaaEmulator({ kp1: { tls } }));
    content = await rig.started(new ContentServer());
    content.serveBytes("/fw-2.0.0.bin", newImage);
  });
  after(() => rig.teardown());

  it("updates a device over Murano MQTT on mqtts://", async () => {
    murano.product.addIdentity("gw-tls");
    const link = new MuranoMqttLink({ httpUrl: murano.urls.http, mqttUrl: murano.urls.mqtts ?? "", identity: "gw-tls", ca: tls.ca });
    await muranoUpdate(rig, murano, content, link, "gw-tls");
  });

  it("updates a device over Kaa 1/KP on mqtts://", async () => {
    const endpointId = release(kaa, "gw-kaa-tls");
    await kaaUpdate(rig, kaa, new KaaMqttLink({ mqttUrl: kaa.urls.mqtts ?? "", application: "gateway", token: "gw-kaa-tls", ca: tls.ca }), endpointId);
  });
});
