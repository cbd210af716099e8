import { KaaHttpApi } from './http-api.ts';
import { KaaKp1Mqtt, type KaaKp1Options } from './kp1-mqtt.ts';
import { KaaPlatform, type KaaPlatformOptions } from './platform.ts';

export interface KaaUrls {
  /** Base URL of the REST API and presigned downloads, e.g. http://127.0.0.1:41234 */
  http: string;
  /** URL of the 1/KP MQTT broker, e.g. mqtt://127.0.0.1:41235 (the external one's when attached) */
  mqtt: string;
  /** The same broker over TLS, when the emulator runs its own with TLS credentials. */
  mqtts?: string;
}

export interface KaaEmulatorOptions extends KaaPlatformOptions {
  /** 1/KP transport: TLS credentials for its own broker, or an external broker to attach to. */
  kp1?: KaaKp1Options;
}

/**
 * An emulated Kaa cluster's OTA side: `platform` (state and operator API) served over REST
 * with presigned downloads, and over 1/KP on its own MQTT broker, each on a free loopback port.
 */
export class KaaEmulator {
  readonly platform: KaaPlatform;
  readonly http: KaaHttpApi;
  readonly kp1: KaaKp1Mqtt;
  private started?: KaaUrls;

  constructor(options: KaaEmulatorOptions = {}) {
    this.platform = new KaaPlatform(options);
    this.http = new KaaHttpApi(this.platform);
    this.kp1 = new KaaKp1Mqtt(this.platform, options.kp1);
  }

  /** Starts both servers, on the given loopback ports (0 or absent: free ones). */
  async start(ports: { http?: number; mqtt?: number } = {}): Promise<KaaUrls> {
    if (this.started) throw new Error('the Kaa emulator is already started');
    const http = await this.http.start(ports.http);
    try {
      const mqtt = await this.kp1.start(ports.mqtt);
      this.started = { http, mqtt, ...(this.kp1.tlsUrl ? { mqtts: this.kp1.tlsUrl } : {}) };
    } catch (error) {
      await this.http.stop();
      throw error;
    }
    this.platform.setDownloadBaseUrl(http);
    // Software may have been defined before start; arm its rollout dates now.
    this.platform.reevaluate();
    return this.started;
  }

  async stop(): Promise<void> {
    this.started = undefined;
    this.platform.close();
    this.platform.setDownloadBaseUrl(undefined);
    await Promise.all([this.http.stop(), this.kp1.stop()]);
  }

  get urls(): KaaUrls {
    if (!this.started) throw new Error('the Kaa emulator is not started');
    return this.started;
  }
}
