import { MqttListener } from '../network/mqtt-listener.ts';
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

/**
 * 1/KP over MQTT for the `cmx_ota` extension (docs/protocols.md "2. Kaa"), on its own aedes broker:
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
  private unsubscribe?: () => void;

  constructor(private readonly platform: KaaPlatform) {}

  async start(port = 0): Promise<string> {
    if (this.listener) throw new Error('the Kaa 1/KP broker is already started');
    const listener = await MqttListener.start({
      authorizePublish: (_client, packet, done) => {
        const topic = packet.topic;
        if (!topic.startsWith('kp1/')) done(new Error(`1/KP topics start with kp1/, got "${topic}"`));
        else if (isServerTopic(topic)) done(new Error(`"${topic}" is a server reply topic; endpoints may not publish to it`));
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
    }, port);
    this.listener = listener;
    this.unsubscribe = this.platform.onPush((push) => {
      this.publish(`kp1/${push.application}/${OTA_EXTENSION}/${push.token}/config/json/status`, push.reply);
    });
    return listener.url;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.unsubscribe?.();
    await listener.close();
  }

  get url(): string {
    if (!this.listener) throw new Error('the Kaa 1/KP broker is not started');
    return this.listener.url;
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
        return {};
      }
      default:
        throw new KaaError(404, `unknown resource path "${request.path}" (expected config/json or applied/json)`);
    }
  }

  private publish(topic: string, value: unknown): void {
    this.listener?.broker.publish(
      { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(value)), qos: 1, retain: false, dup: false },
      // A reply nobody is subscribed to is simply lost, as on a real broker.
      () => {},
    );
  }
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
