// One device's MQTT connection across its power cycles: a client per boot, and an outbox so
// that what the agent reports while the device is off or still connecting goes out, in
// order, once a connection is up. Both MQTT cloud links (Murano, Kaa 1/KP) sit on it.
import { connect, type IClientOptions, type MqttClient } from "mqtt";

export interface MqttSessionHandlers {
  /** Every (re)connection: subscribe and ask for what the device needs. */
  connected(client: MqttClient): void;
  message(topic: string, payload: Buffer): void;
}

const SUBSCRIBE_RETRY_MS = 500;

export class MqttSession {
  private client: MqttClient | undefined;
  private readonly outbox: Array<{ topic: string; payload: string }> = [];
  /** Prefix of every topic published, set per connection (it may depend on a token). */
  private root = "";

  /** `ca`: the CA certificate (PEM) an mqtts:// broker is verified against (default: the system's). */
  constructor(private readonly url: string, private readonly ca?: Buffer) {}

  /**
   * Opens this boot's connection; `options` come fresh each boot (a token may be new).
   * `root` prefixes the topics published from now on, queued ones included.
   */
  open(options: IClientOptions, handlers: MqttSessionHandlers, root = ""): void {
    this.close();
    this.root = root;
    const client = connect(this.url, { reconnectPeriod: 200, connectTimeout: 5_000, ca: this.ca, ...options });
    this.client = client;
    client.on("connect", () => {
      if (this.client !== client) return;
      handlers.connected(client);
      this.flush();
    });
    client.on("message", (topic, payload) => {
      if (this.client === client) handlers.message(topic, payload);
    });
    // Errors (refused connection, broker gone) end in reconnect attempts; nothing to add here.
    client.on("error", () => {});
  }

  /** Power lost or reset: the connection goes; messages already handed to it still leave. */
  close(): void {
    const client = this.client;
    this.client = undefined;
    client?.end(false);
  }

  /** Sends now when connected, otherwise as soon as the next connection is up. */
  publish(topic: string, payload: string): void {
    this.outbox.push({ topic, payload });
    this.flush();
  }

  /**
   * Subscribes `client` (this boot's) to `filter` at QoS 1, then calls `then`. A refused
   * subscription (a loaded NATS cluster answers SUBACK 0x80 when JetStream is slow) is asked
   * again every half second while the client is this boot's: a device left unsubscribed
   * would never hear of its update.
   */
  subscribe(client: MqttClient, filter: string, then: () => void = () => {}): void {
    client.subscribeAsync(filter, { qos: 1 }).then(then, () => {
      setTimeout(() => this.client === client && client.connected && this.subscribe(client, filter, then), SUBSCRIBE_RETRY_MS);
    });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private flush(): void {
    const client = this.client;
    if (!client?.connected) return;
    for (const message of this.outbox.splice(0)) client.publish(`${this.root}${message.topic}`, message.payload, { qos: 1 });
  }
}
