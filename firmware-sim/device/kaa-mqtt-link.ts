// A device's link to Kaa's OTA Orchestrator over 1/KP on MQTT (docs/protocols.md "2. Kaa"),
// extension instance cmx_ota. At every connection it asks for its configuration with observe on,
// naming as configId the version the agent reported at boot (installed, or on trial); the
// reply and later pushes go to the agent. The agent's `applied` documents are published as
// they come; its status documents (otau_in form) stay on the device, as its own log.
// The agent needs configure(Setting.Cloud, 1) to report for Kaa.
import { Channel, ConfigSource } from "../agent/agent-instance.ts";
import { MqttSession } from "./mqtt-session.ts";
import type { CloudLink, ConfigDelivery, Fetcher } from "./transport.ts";

export interface KaaMqttLinkOptions {
  mqttUrl: string;
  /** The application (the 1/KP appVersion topic level). */
  application: string;
  /** The endpoint token. */
  token: string;
  /** CA certificate (PEM) to verify an mqtts:// broker against. */
  ca?: Buffer;
  /** Credentials, for a broker that asks for them (Kaa's own 1/KP needs none). */
  username?: string;
  password?: string;
}

export class KaaMqttLink implements CloudLink {
  /** Status documents the agent reported (otau_in form), oldest first. */
  readonly statuses: Array<{ version: string; status: string; message?: string }> = [];
  /** Every config reply or push delivered to the agent, as received. */
  readonly configs: string[] = [];
  private readonly session: MqttSession;
  private readonly base: string;
  private deliver: ConfigDelivery | undefined;
  private nextRequestId = 1;
  /** What the device runs: the version of the agent's last boot report, then of each INSTALLED_VERSION. */
  private runningVersion: string | undefined;
  /** Between power-on and connect: every status is a boot report. */
  private booting = true;
  /** Connections so far, and the one whose subscription was answered (its config request sent). */
  private connections = 0;
  private subscribedConnection = -1;

  constructor(private readonly options: KaaMqttLinkOptions) {
    this.session = new MqttSession(options.mqttUrl, options.ca);
    this.base = `kp1/${options.application}/cmx_ota/${options.token}`;
  }

  connect(deliver: ConfigDelivery): void {
    this.deliver = deliver;
    this.booting = false;
    const connection = ++this.connections;
    this.session.open({ username: this.options.username, password: this.options.password }, {
      connected: (client) => {
        this.session.subscribe(client, `${this.base}/config/json/#`, () => {
          if (connection === this.connections) this.subscribedConnection = connection;
          this.requestConfig();
        });
      },
      message: (topic, payload) => {
        // Replies to our requests (…/config/json/<id>/status or /error) and observe pushes (…/config/json/status).
        if (!topic.startsWith(`${this.base}/config/json/`) || !/\/(status|error)$/.test(topic)) return;
        const document = payload.toString("utf8");
        this.configs.push(document);
        this.deliver?.(ConfigSource.KaaResponse, document);
      },
    });
  }

  listening(): boolean {
    return this.subscribedConnection === this.connections;
  }

  disconnect(): void {
    this.connections++;
    this.deliver = undefined;
    this.booting = true;
    this.session.close();
  }

  report(channel: Channel, document: string): void {
    if (channel === Channel.KaaApplied) this.session.publish(`${this.base}/applied/json`, document);
    if (channel !== Channel.KaaStatus) return;
    const status = JSON.parse(document) as { version: string; status: string; message?: string };
    this.statuses.push(status);
    if (this.booting || status.status === "INSTALLED_VERSION") this.runningVersion = status.version;
  }

  /** Asks for the configuration again (observe stays on); the answer goes to the agent. */
  requestConfig(): void {
    const request = this.runningVersion === undefined ? { observe: true } : { configId: this.runningVersion, observe: true };
    this.session.publish(`${this.base}/config/json/${this.nextRequestId++}`, JSON.stringify(request));
  }

  /**
   * Kaa's download links are presigned and expire. This fetcher asks for the configuration
   * again when a download is refused with 401 or 403: the answer carries a fresh link, and
   * the agent takes it for its next attempt at the same update.
   */
  refreshingLinks(fetcher: Fetcher): Fetcher {
    return {
      start: (url, offset, sink) =>
        fetcher.start(url, offset, {
          ...sink,
          response: (status, rangeStart, total) => {
            if (status === 401 || status === 403) this.requestConfig();
            sink.response(status, rangeStart, total);
          },
        }),
      cancel: () => fetcher.cancel(),
    };
  }

  close(): void {
    this.disconnect();
  }
}
