import type { MqttClient } from 'mqtt';
import { attachToBroker, topicMatches, type ExternalBroker } from '../network/external-broker.ts';
import { MqttListener } from '../network/mqtt-listener.ts';
import type { TlsCredentials } from '../network/tls-credentials.ts';
import { KaaError, type KaaPlatform } from './platform.ts';

/** The configuration extension instance OTAO answers on. */
export const OTA_EXTENSION = 'cmx_ota';

interface Kp1Request {
  application: string;
  extension: string;
  token: string;
  /** Resource path without the request id, e.g. `config/json`. */
  path: string;
  requestId?: string;
}

export interface KaaKp1Options {
  /** Also serve mqtts:// with this server certificate (own broker only). */
  tls?: TlsCredentials;
  /** Attach to this broker instead of starting one. */
  broker?: ExternalBroker;
}

/**
 * 1/KP over MQTT for the `cmx_ota` extension (docs/protocols.md "2. Kaa" and "4. The emulators as real clients see them"), on its own aedes broker
 * (plain and, with TLS credentials, mqtts://) or attached to an external broker:
 *   kp1/{app}/cmx_ota/{token}/config/json[/{reqId}]   {"configId"?, "observe"?}
 *   kp1/{app}/cmx_ota/{token}/applied/json[/{reqId}]  {"configId", "statusCode"?, "reasonPhrase"?}
 * Replies go to `<request topic>/status` or `/error` when a request id is given; pushes for
 * observers go to `kp1/{app}/cmx_ota/{token}/config/json/status`.
 *
 * A client may subscribe only below a literal `kp1/{app}/{ext}/{token}/`, and the broker
 * forwards only server messages, so knowing an endpoint token is what gives access to it.
 */
export class KaaKp1Mqtt {
  private listener?: MqttListener;
  private client?: MqttClient;
  private unsubscribe?: () => void;

  constructor(
    private readonly platform: KaaPlatform,
    private readonly options: KaaKp1Options = {},
  ) {}

  /** `port`: of its own broker's plain listener (0: a free one); unused when attached to a broker. */
  async start(port = 0): Promise<string> {
    if (this.listener || this.client) throw new Error('the Kaa 1/KP broker is already started');
    if (this.options.broker) await this.attach(this.options.broker);
    else await this.listen(port);
    this.unsubscribe = this.platform.onPush((push) => {
      this.publish(`kp1/${push.application}/${OTA_EXTENSION}/${push.token}/config/json/status`, push.reply);
    });
    return this.url;
  }

  /** Its own aedes broker: endpoints connect to it. */
  private async listen(port: number): Promise<void> {
    this.listener = await MqttListener.start({
      authorizePublish: (_client, packet, done) => {
        // Only replies are refused; anything outside kp1/ (a bridge's own state topic, say) is let through and ignored.
        if (packet.topic.startsWith('kp1/') && isServerTopic(packet.topic)) done(new Error(`"${packet.topic}" is a server reply topic; endpoints may not publish to it`));
        else done(null);
      },
      published: (packet, client, done) => {
        if (client && packet.topic.startsWith('kp1/')) this.handle(packet.topic, packet.payload.toString());
        done(null);
      },
      authorizeSubscribe: (_client, subscription, done) => {
        const levels = subscription.topic.split('/');
        const literal = levels.length >= 5 && levels[0] === 'kp1' && levels.slice(1, 4).every((l) => l !== '' && l !== '+' && l !== '#');
        done(null, literal ? subscription : null);
      },
      authorizeForward: (_client, packet) => (isServerTopic(packet.topic) ? packet : null),
    }, port, this.options.tls);
    // An observing endpoint that subscribes again (it reconnected) is sent the update it is due.
    this.listener.broker.on('subscribe', (subscriptions) => {
      for (const { topic } of subscriptions) {
        const [, application, extension, token] = topic.split('/');
        if (extension !== OTA_EXTENSION || !topicMatches(topic, `kp1/${application}/${OTA_EXTENSION}/${token}/config/json/status`)) continue;
        const pending = this.platform.pendingFor(application, token);
        if (pending) this.publish(`kp1/${application}/${OTA_EXTENSION}/${token}/config/json/status`, pending);
      }
    });
  }

  /** Someone else's broker: subscribe to every 1/KP request there and answer there. */
  private async attach(broker: ExternalBroker): Promise<void> {
    const client = await attachToBroker(broker, `otau-sim-kaa-${process.pid}`);
    this.client = client;
    client.on('message', (topic, payload) => {
      if (!isServerTopic(topic)) this.handle(topic, payload.toString());
    });
    client.on('connect', () => void client.subscribeAsync('kp1/#', { qos: 1 }).catch(() => {}));
    await client.subscribeAsync('kp1/#', { qos: 1 });
  }

  async stop(): Promise<void> {
    const { listener, client } = this;
    this.listener = undefined;
    this.client = undefined;
    this.unsubscribe?.();
    await listener?.close();
    await client?.endAsync();
  }

  /** The broker endpoints connect to (the external one's URL when attached). */
  get url(): string {
    if (this.listener) return this.listener.url;
    if (this.client && this.options.broker) return this.options.broker.url;
    throw new Error('the Kaa 1/KP broker is not started');
  }

  /** The mqtts:// URL of its own broker, when started with TLS credentials. */
  get tlsUrl(): string | undefined {
    return this.listener?.tlsUrl;
  }

  private handle(topic: string, payload: string): void {
    const request = parseTopic(topic);
    // Malformed topics carry no usable request id, so there is nowhere to send an error.
    if (!request) return;
    try {
      const reply = this.dispatch(request, parsePayload(payload));
      if (request.requestId !== undefined) this.publish(`${topic}/status`, reply);
    } catch (error) {
      if (request.requestId === undefined) return;
      const statusCode = error instanceof KaaError ? error.statusCode : 500;
      this.publish(`${topic}/error`, { statusCode, reasonPhrase: (error as Error).message });
    }
  }

  private dispatch(request: Kp1Request, body: Record<string, unknown>): unknown {
    if (request.extension !== OTA_EXTENSION) throw new KaaError(404, `unknown extension instance "${request.extension}"`);
    switch (request.path) {
      case 'config/json': {
        const configId = optional(body, 'configId', 'string');
        const observe = optional(body, 'observe', 'boolean');
        return this.platform.requestConfig(request.application, request.token, { configId, observe });
      }
      case 'applied/json': {
        const configId = optional(body, 'configId', 'string');
        if (configId === undefined) throw new KaaError(400, 'configId is required in an applied report');
        const statusCode = optional(body, 'statusCode', 'number');
        if (statusCode !== undefined && !Number.isInteger(statusCode)) throw new KaaError(400, 'statusCode must be an integer');
        const reasonPhrase = optional(body, 'reasonPhrase', 'string');
        this.platform.reportApplied(request.application, request.token, { configId, statusCode, reasonPhrase });
        // 1/KP: the reply to a report carries no payload.
        return undefined;
      }
      default:
        throw new KaaError(404, `unknown resource path "${request.path}" (expected config/json or applied/json)`);
    }
  }

  /**
   * JSON replies; `undefined` is an empty payload. A config reply that delivers an update
   * carries `"statusCode": 200`, as the real Kaa sends it (devices written from Kaa's ESP32
   * OTA tutorial skip replies without it).
   */
  private publish(topic: string, value: unknown): void {
    const body = isConfigDelivery(value) ? { ...value, statusCode: 200 } : value;
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    // A reply nobody is subscribed to is simply lost, as on a real broker.
    if (this.client) this.client.publish(topic, payload, { qos: 1 }, () => {});
    else this.listener?.broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, () => {});
  }
}

function isConfigDelivery(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'configId' in value && 'config' in value;
}

function isServerTopic(topic: string): boolean {
  return topic.endsWith('/status') || topic.endsWith('/error');
}

function parseTopic(topic: string): Kp1Request | undefined {
  const [, application, extension, token, ...rest] = topic.split('/');
  if (!application || !extension || !token || rest.length === 0) return undefined;
  const requestId = /^\d+$/.test(rest[rest.length - 1]) ? rest.pop() : undefined;
  return { application, extension, token, path: rest.join('/'), requestId };
}

function parsePayload(payload: string): Record<string, unknown> {
  if (payload.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (error) {
    throw new KaaError(400, `the payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KaaError(400, 'the payload must be a JSON object');
  return value as Record<string, unknown>;
}

function optional<T extends 'string' | 'boolean' | 'number'>(
  body: Record<string, unknown>,
  field: string,
  type: T,
): (T extends 'string' ? string : T extends 'boolean' ? boolean : number) | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== type) throw new KaaError(400, `${field} must be a ${type}`);
  return value as T extends 'string' ? string : T extends 'boolean' ? boolean : number;
}
