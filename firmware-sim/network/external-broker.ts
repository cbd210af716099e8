// An MQTT broker the emulators attach to as a client instead of starting their own (a
// mosquitto, or any broker a user already runs): they subscribe to the device topics there
// and publish their answers there.
import { connectAsync, type MqttClient } from 'mqtt';

export interface ExternalBroker {
  /** mqtt://host:port or mqtts://host:port */
  url: string;
  /** CA certificate (PEM) to verify an mqtts:// broker with; default: the system's. */
  ca?: Buffer;
  username?: string;
  password?: string;
}

export async function attachToBroker(broker: ExternalBroker, clientId: string): Promise<MqttClient> {
  try {
    return await connectAsync(broker.url, {
      clientId,
      ca: broker.ca,
      username: broker.username,
      password: broker.password,
      reconnectPeriod: 500,
      connectTimeout: 5_000,
    });
  } catch (error) {
    throw new Error(`cannot attach to the MQTT broker ${broker.url}: ${(error as Error).message}`);
  }
}

/** MQTT topic filter matching (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
