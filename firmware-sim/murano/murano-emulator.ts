import { MuranoHttpDeviceApi } from './http-device-api.ts';
import { MuranoMqttDeviceApi, type MuranoMqttOptions } from './mqtt-device-api.ts';
import { MuranoProduct, type MuranoProductOptions } from './product.ts';

export interface MuranoUrls {
  /** Base URL of the HTTP Device API, e.g. http://127.0.0.1:41234 */
  http: string;
  /** URL of the MQTT Device API (its own broker, or the external one), e.g. mqtt://127.0.0.1:41235 */
  mqtt: string;
  /** The MQTT Device API over TLS, when the emulator runs its own broker with TLS credentials. */
  mqtts?: string;
}

export interface MuranoEmulatorOptions extends MuranoProductOptions {
  /** MQTT transport: TLS credentials for its own broker, or an external broker to attach to. */
  mqtt?: MuranoMqttOptions;
}

/**
 * One emulated Murano product: its state (`product`, which is also the operator API) served
 * over the HTTP Device API and the MQTT Device API, each on its own free loopback port.
 */
export class MuranoEmulator {
  readonly product: MuranoProduct;
  readonly http: MuranoHttpDeviceApi;
  readonly mqtt: MuranoMqttDeviceApi;
  private started?: MuranoUrls;

  constructor(options: MuranoEmulatorOptions = {}) {
    this.product = new MuranoProduct(options);
    this.http = new MuranoHttpDeviceApi(this.product);
    this.mqtt = new MuranoMqttDeviceApi(this.product, options.mqtt);
  }

  /** Starts both servers, on the given loopback ports (0 or absent: free ones). */
  async start(ports: { http?: number; mqtt?: number } = {}): Promise<MuranoUrls> {
    if (this.started) throw new Error('the Murano emulator is already started');
    const http = await this.http.start(ports.http);
    try {
      const mqtt = await this.mqtt.start(ports.mqtt);
      this.started = { http, mqtt, ...(this.mqtt.tlsUrl ? { mqtts: this.mqtt.tlsUrl } : {}) };
    } catch (error) {
      await this.http.stop();
      throw error;
    }
    return this.started;
  }

  async stop(): Promise<void> {
    this.started = undefined;
    await Promise.all([this.http.stop(), this.mqtt.stop()]);
  }

  get urls(): MuranoUrls {
    if (!this.started) throw new Error('the Murano emulator is not started');
    return this.started;
  }
}
