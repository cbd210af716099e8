// `otau-sim serve --simulate`: the demo's kinds of device running inside serve, each with a
// 1.0.0 factory image and idle until an operator applies something — one over Murano HTTP,
// one over Murano MQTT, one Kaa 1/KP endpoint — so the console has devices to update.
import { compileAgent, Setting } from "../agent/agent-instance.ts";
import { makeFirmwareImage } from "../device/firmware-image.ts";
import { KaaMqttLink } from "../device/kaa-mqtt-link.ts";
import { loopbackDevice } from "../device/loopback-device.ts";
import { MuranoHttpLink } from "../device/murano-http-link.ts";
import { MuranoMqttLink } from "../device/murano-mqtt-link.ts";
import type { KaaEmulator } from "../kaa/kaa-emulator.ts";
import type { MuranoEmulator } from "../murano/murano-emulator.ts";

export const SIMULATED_FACTORY_VERSION = "1.0.0";
const FACTORY_BYTES = 24 * 1024;
/** Room for images up to 1 MiB. */
const SLOT_BYTES = 1024 * 1024;

export interface SimulatedDevices {
  ids: string[];
  stop(): void;
}

export async function startSimulatedDevices(murano: MuranoEmulator, kaa: KaaEmulator, tenant: string, application: string): Promise<SimulatedDevices> {
  const module = await compileAgent();
  const factoryImage = makeFirmwareImage({ version: SIMULATED_FACTORY_VERSION, size: FACTORY_BYTES });
  for (const id of ["sim-murano-http", "sim-murano-mqtt"]) murano.product.addIdentity(id);
  kaa.platform.registerEndpoint(tenant, application, { endpointId: "sim-kaa", token: "sim-kaa" });
  const links = [
    { id: "sim-murano-http", link: new MuranoHttpLink({ url: murano.urls.http, identity: "sim-murano-http" }), settings: {} },
    { id: "sim-murano-mqtt", link: new MuranoMqttLink({ httpUrl: murano.urls.http, mqttUrl: murano.urls.mqtt, identity: "sim-murano-mqtt", externalBroker: murano.mqtt.attached }), settings: {} },
    { id: "sim-kaa", link: new KaaMqttLink({ mqttUrl: kaa.urls.mqtt, application, token: "sim-kaa" }), settings: { [Setting.Cloud]: 1 } },
  ];
  const devices = links.map(({ id, link, settings }) => loopbackDevice({ id, module, factoryImage, slotBytes: SLOT_BYTES, cloud: link, settings }));
  for (const device of devices) device.powerOn();
  return {
    ids: links.map((l) => l.id),
    stop() {
      for (const device of devices) device.powerOff();
      for (const { link } of links) link.close();
    },
  };
}
