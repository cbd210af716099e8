import type { AuthenticateError, Client } from 'aedes';
import type { MqttClient } from 'mqtt';
import { attachToBroker, topicMatches, type ExternalBroker } from '../network/external-broker.ts';
import { MqttListener } from '../network/mqtt-listener.ts';
import type { TlsCredentials } from '../network/tls-credentials.ts';
import type { CloudWrite, MuranoProduct } from './product.ts';

const RESOURCE_PREFIX = '$resource/';
const BATCH_TOPIC = '$resource.batch';
const PROVISION_PREFIX = '$provision/';
/** aedes' code for CONNACK "bad user name or password". */
const BAD_CREDENTIALS = 4;

/** On an external broker, each device's topics sit under `murano/<token>/` (CHOICE, below). */
export const EXTERNAL_TOPIC_PREFIX = 'murano/';

export interface MuranoMqttOptions {
  /** Also serve mqtts:// with this server certificate (own broker only), as Murano serves 8883. */
  tls?: TlsCredentials;
  /** Attach to this broker instead of starting one. */
  broker?: ExternalBroker;
}

/**
 * The Murano MQTT Device API, on its own aedes broker (plain, and over TLS with credentials):
 * password = token; the device publishes values to `$resource/<alias>` (or
 * `$resource.batch`); cloud writes reach it on `$resource/<alias>/<timestamp>` and it
 * acknowledges by publishing the value back. An anonymous client (no password) may only
 * activate: it publishes an empty message to `$provision/<identity>` and receives the token
 * on that topic.
 *
 * As on Murano, subscriptions are implicit: every connection of a device receives its writes,
 * and on connecting it receives every cloud write it has not acknowledged yet. The broker
 * never routes one client's publishes to another; cloud writes are sent to each of the
 * device's connections directly. The timestamp topic level is the write time in microseconds
 * (CHOICE: Murano's resource timestamps are microseconds).
 *
 * Attached to an external broker, the emulator cannot see who published, so (CHOICE) each
 * device's topics get the prefix `murano/<token>/`, e.g. `murano/<token>/$resource/otau_in`;
 * a cloud write is published retained so that a device connecting later still gets it, and
 * its retained copy is cleared (an empty retained message) once the device echoes it.
 */
export class MuranoMqttDeviceApi {
  private listener?: MqttListener;
  private client?: MqttClient;
  private readonly identityOf = new Map<Client, string>();
  /** Anonymous connections, which may only activate. */
  private readonly anonymous = new Set<Client>();
  /** identityOf turned around: a cloud write goes to its device's clients without a scan of all. */
  private readonly clientsOf = new Map<string, Set<Client>>();
  /** External broker: the retained cloud-write topic of each (identity, alias). */
  private readonly retained = new Map<string, string>();
  private unsubscribe?: () => void;

  constructor(
    private readonly product: MuranoProduct,
    private readonly options: MuranoMqttOptions = {},
  ) {}

  /** `port`: of its own broker's plain listener (0: a free one); unused when attached to a broker. */
  async start(port = 0): Promise<string> {
    if (this.listener || this.client) throw new Error('the Murano MQTT API is already started');
    if (this.options.broker) await this.attach(this.options.broker);
    else await this.listen(port);
    return this.url;
  }

  private async listen(port: number): Promise<void> {
    this.listener = await MqttListener.start({
      authenticate: (client, _username, password, done) => {
        if (password === undefined || password.length === 0) {
          this.anonymous.add(client);
          done(null, true);
          return;
        }
        const identity = this.product.identityOfToken(password.toString('utf8'));
        if (identity === undefined) {
          const error = new Error('the MQTT password is not the token of an activated device') as AuthenticateError;
          error.returnCode = BAD_CREDENTIALS;
          done(error, false);
          return;
        }
        this.identityOf.set(client, identity);
        this.clientsOf.set(identity, (this.clientsOf.get(identity) ?? new Set()).add(client));
        this.product.noteContact(identity, 'MQTT');
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        if (client && this.anonymous.has(client)) {
          done(this.provision(client, packet.topic));
          return;
        }
        const identity = client ? this.identityOf.get(client) : undefined;
        if (identity === undefined) {
          done(new Error('publish from an unauthenticated client'));
          return;
        }
        try {
          this.applyDevicePublish(identity, packet.topic, packet.payload.toString());
          done(null);
        } catch (error) {
          // Refusing a publish disconnects the client, as Murano's access control does.
          done(error as Error);
        }
      },
      // Device publishes are consumed above; only direct cloud writes and activation replies reach clients.
      authorizeForward: (client, packet) => (isCloudWriteTopic(packet.topic) || this.isActivationReply(client, packet) ? packet : null),
    }, port, this.options.tls);
    const broker = this.listener.broker;
    broker.on('clientReady', (client) => {
      const identity = this.identityOf.get(client);
      if (identity === undefined) return;
      for (const write of this.product.pendingCloudWrites(identity)) deliver(client, write);
    });
    broker.on('clientDisconnect', (client) => {
      const identity = this.identityOf.get(client);
      this.identityOf.delete(client);
      this.anonymous.delete(client);
      if (identity !== undefined) this.clientsOf.get(identity)?.delete(client);
    });
    this.unsubscribe = this.product.onCloudWrite((write) => {
      for (const client of this.clientsOf.get(write.identity) ?? []) deliver(client, write);
    });
  }

  /** An anonymous publish: `$provision/<identity>` activates and answers the token on that topic. */
  private provision(client: Client, topic: string): Error | null {
    if (!topic.startsWith(PROVISION_PREFIX)) return new Error(`an anonymous client may only publish to ${PROVISION_PREFIX}<identity>`);
    let token: string;
    try {
      token = this.product.activate(topic.slice(PROVISION_PREFIX.length));
    } catch (error) {
      // CHOICE: an identity that may not activate (unknown, or already active) is disconnected.
      return error as Error;
    }
    const reply = { cmd: 'publish' as const, topic, payload: Buffer.from(token, 'utf8'), qos: 0 as const, retain: false, dup: false };
    // To whoever subscribed to the reply topic (the documented way), and to the activating
    // client itself when it did not (gdc relies on Murano's implicit subscriptions).
    this.listener?.broker.publish(reply, ignoreDeliveryError);
    // aedes keeps a client's subscriptions keyed by filter; its typings do not declare the field.
    const filters = Object.keys((client as Client & { subscriptions: Record<string, unknown> }).subscriptions);
    const subscribed = filters.some((filter) => topicMatches(filter, topic));
    if (!subscribed) client.publish(reply, ignoreDeliveryError);
    return null;
  }

  /** Only the token itself, sent to an anonymous client on its own `$provision/<identity>`. */
  private isActivationReply(client: Client | null, packet: { topic: string; payload: Buffer | string }): boolean {
    if (!client || !this.anonymous.has(client) || !packet.topic.startsWith(PROVISION_PREFIX)) return false;
    const token = this.product.tokenOf(packet.topic.slice(PROVISION_PREFIX.length));
    return token !== undefined && packet.payload.toString() === token;
  }

  private async attach(broker: ExternalBroker): Promise<void> {
    const client = await attachToBroker(broker, `otau-sim-murano-${process.pid}`);
    this.client = client;
    const subscribe = async (): Promise<void> => {
      await client.subscribeAsync(`${EXTERNAL_TOPIC_PREFIX}+/${RESOURCE_PREFIX}+`, { qos: 1 });
      // NATS 2.9's MQTT refuses "." in topics, hence the batch topic: there devices write one alias per publish.
      await client.subscribeAsync(`${EXTERNAL_TOPIC_PREFIX}+/${BATCH_TOPIC}`, { qos: 1 }).catch(() => {});
    };
    client.on('message', (topic, payload) => {
      const [, token, ...rest] = topic.split('/');
      const identity = token === undefined ? undefined : this.product.identityOfToken(token);
      if (identity === undefined) return;
      this.product.noteContact(identity, 'MQTT');
      try {
        this.applyDevicePublish(identity, rest.join('/'), payload.toString());
        this.clearAcknowledged(identity, token);
      } catch {
        // Nobody to refuse on someone else's broker: a bad publish is dropped.
      }
    });
    client.on('connect', () => void subscribe().catch(() => {}));
    await subscribe();
    this.unsubscribe = this.product.onCloudWrite((write) => {
      const token = this.product.tokenOf(write.identity);
      if (token === undefined) return;
      const key = `${write.identity}\n${write.alias}`;
      const previous = this.retained.get(key);
      if (previous !== undefined) client.publish(previous, '', { qos: 1, retain: true });
      const topic = `${EXTERNAL_TOPIC_PREFIX}${token}/${RESOURCE_PREFIX}${write.alias}/${write.value.modifiedAt * 1000}`;
      this.retained.set(key, topic);
      client.publish(topic, Buffer.from(write.value.bytes), { qos: 1, retain: true });
    });
  }

  /** An echoed cloud write needs no retained copy any more. */
  private clearAcknowledged(identity: string, token: string): void {
    for (const [key, topic] of this.retained) {
      const [owner, alias] = key.split('\n');
      if (owner !== identity || !this.product.isAcknowledged(identity, alias) || !topic.startsWith(`${EXTERNAL_TOPIC_PREFIX}${token}/`)) continue;
      this.client?.publish(topic, '', { qos: 1, retain: true });
      this.retained.delete(key);
    }
  }

  async stop(): Promise<void> {
    const { listener, client } = this;
    this.listener = undefined;
    this.client = undefined;
    this.unsubscribe?.();
    await listener?.close();
    await client?.endAsync();
    this.identityOf.clear();
    this.anonymous.clear();
    this.retained.clear();
    this.clientsOf.clear();
  }

  /** The broker devices connect to (the external one's URL when attached). */
  get url(): string {
    if (this.listener) return this.listener.url;
    if (this.client && this.options.broker) return this.options.broker.url;
    throw new Error('the Murano MQTT API is not started');
  }

  /** True when attached to an external broker: devices' topics then sit under `murano/<token>/`. */
  get attached(): boolean {
    return this.options.broker !== undefined;
  }

  /** The mqtts:// URL of its own broker, when started with TLS credentials. */
  get tlsUrl(): string | undefined {
    return this.listener?.tlsUrl;
  }

  private applyDevicePublish(identity: string, topic: string, payload: string): void {
    if (topic === BATCH_TOPIC) {
      const writes = parseBatch(payload);
      // Check every alias first so a bad one leaves nothing half-written.
      const unknown = writes.find(([alias]) => this.product.resourceWriter(alias) === undefined);
      if (unknown) throw new Error(`${BATCH_TOPIC} names unknown resource alias "${unknown[0]}"`);
      for (const [alias, value] of writes) this.product.deviceWrite(identity, alias, value);
      return;
    }
    if (!topic.startsWith(RESOURCE_PREFIX) || topic.slice(RESOURCE_PREFIX.length).includes('/')) {
      throw new Error(`devices publish to ${RESOURCE_PREFIX}<alias> or ${BATCH_TOPIC}, not "${topic}"`);
    }
    this.product.deviceWrite(identity, topic.slice(RESOURCE_PREFIX.length), payload);
  }
}

function isCloudWriteTopic(topic: string): boolean {
  return topic.startsWith(RESOURCE_PREFIX) && topic.slice(RESOURCE_PREFIX.length).split('/').length === 2;
}

function deliver(client: Client, write: CloudWrite): void {
  client.publish({
    cmd: 'publish',
    topic: `${RESOURCE_PREFIX}${write.alias}/${write.value.modifiedAt * 1000}`,
    payload: Buffer.from(write.value.bytes),
    qos: 1,
    retain: false,
    dup: false,
  }, ignoreDeliveryError);
}

/** A write that cannot be delivered stays unacknowledged and is sent again on reconnect. */
function ignoreDeliveryError(): void {}

/** `[{"timestamp":T,"values":{alias:value,…}},…]`; values that are not strings are serialized. */
function parseBatch(text: string): Array<[string, string]> {
  let batch: unknown;
  try {
    batch = JSON.parse(text);
  } catch (error) {
    throw new Error(`${BATCH_TOPIC} payload is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(batch)) throw new Error(`${BATCH_TOPIC} payload must be a JSON array`);
  return batch.flatMap((entry, index) => {
    const values = (entry as { values?: unknown } | null)?.values;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new Error(`${BATCH_TOPIC}[${index}].values must be an object`);
    }
    return Object.entries(values).map(([alias, value]): [string, string] => [alias, typeof value === 'string' ? value : JSON.stringify(value)]);
  });
}
