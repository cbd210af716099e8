// What a simulated device needs from the network, kept apart from how it is carried:
// in-process for the power-cut suite, real HTTP/MQTT on loopback for the end-to-end tests.
import type { Channel, ConfigSource } from "../agent/agent-instance.ts";

/** Where a transfer's answer goes; the device forwards each call to the agent. */
export interface FetchSink {
  /** HTTP status, offset of the body's first byte, whole resource length (0 unknown). */
  response(status: number, rangeStart: number, totalLength: number): void;
  data(bytes: Uint8Array): void;
  /** The body arrived complete (true) or the transfer failed (false). */
  end(ok: boolean): void;
}

/** A ranged GET, one at a time per device (the agent's `fetch`/`fetch_cancel` imports). */
export interface Fetcher {
  /** Starts GET `url` from byte `offset`; answers later (never inside this call). False: cannot start. */
  start(url: string, offset: number, sink: FetchSink): boolean;
  /** Stops the current transfer: its sink is called no more. */
  cancel(): void;
}

/** Delivers one cloud document to the agent (`on_config`). */
export type ConfigDelivery = (source: ConfigSource, document: string | Uint8Array) => void;

/** The device's link to its cloud: update documents in, status documents out. */
export interface CloudLink {
  /** The device has booted: start delivering documents (Murano reads config_otau at once). */
  connect(deliver: ConfigDelivery): void;
  /** A document the agent reported on `channel`. */
  report(channel: Channel, document: string): void;
  /** Power lost or reset: stop delivering; nothing the device sent is unsent. */
  disconnect(): void;
  /**
   * This boot's link would hear a cloud write now (an MQTT link: its subscription answered).
   * Absent: as soon as connected (a link that asks for the current value itself).
   */
  listening?(): boolean;
}
