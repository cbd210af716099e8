import type { AuthenticateError, Client, PublishPacket } from 'aedes';
import { MqttListener } from '../network/mqtt-listener.ts';
import type { CloudWrite, MuranoProduct } from './product.ts';

const RESOURCE_PREFIX = '$resource/';
const BATCH_TOPIC = '$resource.batch';
/** aedes' code for CONNACK "bad user name or password". */
const BAD_CREDENTIALS = 4;

/**
 * The Murano MQTT Device API on loopback (plain TCP): password = token; the device publishes
 * values to `$resource/<alias>` (or `$resource.batch`); cloud writes reach it on
 * `$resource/<alias>/<timestamp>` and it acknowledges by publishing the value back.
 *
 * As on Murano, subscriptions are implicit: every connection of a device receives its writes,
 * and on connecting it receives every cloud write it has not acknowledged yet. The broker
 * never routes one client's publishes to another; cloud writes are sent to each of the
 * device's connections directly. The timestamp topic level is the write time in microseconds
 * (CHOICE: Murano's resource timestamps are microseconds).
 */
export class MuranoMqttDeviceApi {
  private listener?: MqttListener;
  private readonly identityOf = new Map<Client, string>();
  private unsubscribe?: () => void;

  constructor(private readonly product: MuranoProduct) {}

  async start(port = 0): Promise<string> {
    if (this.listener) throw new Error('the Murano MQTT API is already started');
    this.listener = await MqttListener.start({
      authenticate: (client, _username, password, done) => {
        const identity = password ? this.product.identityOfToken(password.toString('utf8')) : undefined;
        if (identity === undefined) {
          const error = new Error('the MQTT password is not the token of an activated device') as AuthenticateError;
          error.returnCode = BAD_CREDENTIALS;
          done(error, false);
          return;
        }
        this.identityOf.set(client, identity);
        this.product.noteContact(identity, 'MQTT');
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const identity = client ? this.identityOf.get(client) : undefined;
        if (identity === undefined) {
          done(new Error('publish from an unauthenticated client'));
          return;
        }
        try {
          this.applyDevicePublish(identity, packet);
          done(null);
        } catch (error) {
          // Refusing a publish disconnects the client, as Murano's access control does.
          done(error as Error);
        }
      },
      // Device publishes are consumed above; only direct cloud writes reach clients.
      authorizeForward: (_client, packet) => (isCloudWriteTopic(packet.topic) ? packet : null),
    }, port);
    const broker = this.listener.broker;
    broker.on('clientReady', (client) => {
      const identity = this.identityOf.get(client);
      if (identity === undefined) return;
      for (const write of this.product.pendingCloudWrites(identity)) deliver(client, write);
    });
    broker.on('clientDisconnect', (client) => this.identityOf.delete(client));
    this.unsubscribe = this.product.onCloudWrite((write) => {
      for (const [client, identity] of this.identityOf) if (identity === write.identity) deliver(client, write);
    });
    return this.listener.url;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.unsubscribe?.();
    await listener.close();
    this.identityOf.clear();
  }

  get url(): string {
    if (!this.listener) throw new Error('the Murano MQTT API is not started');
    return this.listener.url;
  }

  private applyDevicePublish(identity: string, packet: PublishPacket): void {
    const payload = packet.payload.toString();
    if (packet.topic === BATCH_TOPIC) {
      const writes = parseBatch(payload);
      // Check every alias first so a bad one leaves nothing half-written.
      const unknown = writes.find(([alias]) => this.product.resourceWriter(alias) === undefined);
      if (unknown) throw new Error(`${BATCH_TOPIC} names unknown resource alias "${unknown[0]}"`);
      for (const [alias, value] of writes) this.product.deviceWrite(identity, alias, value);
      return;
    }
    if (!packet.topic.startsWith(RESOURCE_PREFIX) || packet.topic.slice(RESOURCE_PREFIX.length).includes('/')) {
      throw new Error(`devices publish to ${RESOURCE_PREFIX}<alias> or ${BATCH_TOPIC}, not "${packet.topic}"`);
    }
    this.product.deviceWrite(identity, packet.topic.slice(RESOURCE_PREFIX.length), payload);
  }
}

function isCloudWriteTopic(topic: string): boolean {
  return topic.startsWith(RESOURCE_PREFIX) && topic.slice(RESOURCE_PREFIX.length).split('/').length === 2;
}

function deliver(client: Client, write: CloudWrite): void {
  client.publish({
    cmd: 'publish',
    topic: `${RESOURCE_PREFIX}${write.alias}/${write.value.modifiedAt * 1000}`,
    payload: Buffer.from(write.value.value, 'utf8'),
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
