// A device's link to Murano over the MQTT Device API (docs/protocols.md "1. Murano"): the token from an
// HTTP activation is the password; cloud writes of config_otau arrive on
// `$resource/config_otau/<timestamp>` and go to the agent; otau_in goes to `$resource/otau_in`.
//
// CHOICE: the device echoes a config_otau write back (Murano's acknowledgement) once the
// agent has settled it (installed, failed or aborted it). Until then Murano re-sends the
// write at every connection, so an update cut short by a power loss is delivered again at
// the next boot, as the HTTP link's read at every start does.
import { Channel, ConfigSource } from "../agent/agent-instance.ts";
import { EXTERNAL_TOPIC_PREFIX } from "../murano/mqtt-device-api.ts";
import { MqttSession } from "./mqtt-session.ts";
import { MuranoActivation } from "./murano-activation.ts";
import type { CloudLink, ConfigDelivery } from "./transport.ts";

const ACTIVATION_RETRY_MS = 300;
const CONFIG_WRITE = /^\$resource\/config_otau\/\d+$/;
/** otau_in statuses after which the agent is done with a config. */
const SETTLED = new Set(["INSTALLED_VERSION", "INSTALL_SUCCESS", "TEST_ERROR", "DOWNLOAD_ERROR", "INSTALL_ERROR", "INSTALL_ABORTED"]);

export interface MuranoMqttLinkOptions {
  /** Base URL of the HTTP Device API (activation). */
  httpUrl: string;
  /** URL of the MQTT Device API (mqtt:// or mqtts://), or of the external broker the emulator attached to. */
  mqttUrl: string;
  identity: string;
  /** CA certificate (PEM) to verify an mqtts:// broker against. */
  ca?: Buffer;
  /** Topics under `murano/<token>/`, as the emulator lays them out on an external broker. */
  externalBroker?: boolean;
}

export class MuranoMqttLink implements CloudLink {
  readonly errors: string[] = [];
  private readonly activation: MuranoActivation;
  private readonly session: MqttSession;
  /** The config_otau write delivered and not yet echoed. */
  private unsettled: { value: string; version: string | undefined } | undefined;
  private boot = 0;
  /** The boot whose subscription to config_otau was answered. */
  private subscribedBoot = -1;

  constructor(private readonly options: MuranoMqttLinkOptions) {
    this.activation = new MuranoActivation(options.httpUrl, options.identity);
    this.session = new MqttSession(options.mqttUrl, options.ca);
  }

  connect(deliver: ConfigDelivery): void {
    this.open(++this.boot, deliver);
  }

  private open(boot: number, deliver: ConfigDelivery): void {
    this.activation.token().then(
      (token) => {
        if (boot !== this.boot) return;
        const root = this.options.externalBroker ? `${EXTERNAL_TOPIC_PREFIX}${token}/` : "";
        // On an external broker the topic root carries the token and the broker knows no tokens:
        // connect without credentials (NATS refuses Murano's empty user name).
        this.session.open(this.options.externalBroker ? {} : { username: "", password: token }, {
          // Murano sends a device its writes without a subscription; subscribing is what a device does anyway.
          connected: (client) => this.session.subscribe(client, `${root}$resource/config_otau/+`, () => {
            this.subscribedBoot = boot;
          }),
          message: (topic, payload) => {
            // An empty message clears a retained write on an external broker: nothing to deliver.
            if (!topic.startsWith(root) || !CONFIG_WRITE.test(topic.slice(root.length)) || payload.length === 0) return;
            const value = payload.toString("utf8");
            this.unsettled = { value, version: versionOf(value) };
            // The payload's bytes as written: the agent judges their UTF-8 itself.
            deliver(ConfigSource.MuranoConfigOtau, Uint8Array.from(payload));
          },
        }, root);
      },
      (error: Error) => {
        this.errors.push(error.message);
        setTimeout(() => boot === this.boot && this.open(boot, deliver), ACTIVATION_RETRY_MS);
      },
    );
  }

  listening(): boolean {
    return this.subscribedBoot === this.boot;
  }

  disconnect(): void {
    this.boot++;
    this.session.close();
  }

  report(channel: Channel, document: string): void {
    if (channel !== Channel.MuranoOtauIn) return;
    this.session.publish("$resource/otau_in", document);
    const status = parse(document);
    const unsettled = this.unsettled;
    if (!unsettled || !status || !SETTLED.has(status.status)) return;
    // A TEST_ERROR may name no version (the config did not parse), yet it settles the config.
    if (status.version === unsettled.version || status.status === "TEST_ERROR") {
      this.session.publish("$resource/config_otau", unsettled.value);
      this.unsettled = undefined;
    }
  }

  /** The device is gone for good. */
  close(): void {
    this.disconnect();
  }
}

function parse(document: string): { status: string; version: string } | undefined {
  try {
    return JSON.parse(document) as { status: string; version: string };
  } catch {
    return undefined;
  }
}

function versionOf(config: string): string | undefined {
  const version = (parse(config) as { version?: unknown } | undefined)?.version;
  return typeof version === "string" ? version : undefined;
}
