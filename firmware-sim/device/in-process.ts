// A network and a cloud without sockets, driven by the device's clock: what the power-cut
// suite needs to run thousands of complete updates deterministically under a ManualClock.
import type { Channel, ConfigSource } from "../agent/agent-instance.ts";
import type { Clock } from "../clock.ts";
import type { CloudLink, ConfigDelivery, Fetcher, FetchSink } from "./transport.ts";

export interface InProcessFetcherOptions {
  /** Body bytes per data call. Default 4096. */
  chunkSize?: number;
  /** Time between two chunks. Default 1 ms. */
  chunkIntervalMs?: number;
}

/** Serves byte arrays by URL with HTTP Range semantics (206 from an offset, 200 from 0, 404 unknown). */
export class InProcessFetcher implements Fetcher {
  private readonly files = new Map<string, Uint8Array>();
  private cancelCurrent: (() => void) | undefined;
  /** Every transfer started: URL and offset. */
  readonly requests: Array<{ url: string; offset: number }> = [];

  constructor(private readonly clock: Clock, private readonly options: InProcessFetcherOptions = {}) {}

  serve(url: string, bytes: Uint8Array): void {
    this.files.set(url, bytes);
  }

  start(url: string, offset: number, sink: FetchSink): boolean {
    this.cancel();
    this.requests.push({ url, offset });
    const file = this.files.get(url);
    const chunkSize = this.options.chunkSize ?? 4096;
    const interval = this.options.chunkIntervalMs ?? 1;
    let cancelled = false;
    let cancelTimer: () => void = () => {};
    this.cancelCurrent = () => {
      cancelled = true;
      cancelTimer();
    };
    const later = (step: () => void): void => {
      cancelTimer = this.clock.at(this.clock.now() + interval, () => {
        if (!cancelled) step();
      });
    };
    later(() => {
      if (!file) {
        sink.response(404, 0, 0);
        return later(() => sink.end(false));
      }
      const from = offset > 0 && offset < file.length ? offset : 0;
      sink.response(from > 0 ? 206 : 200, from, file.length);
      const send = (at: number): void => {
        if (at >= file.length) return sink.end(true);
        sink.data(file.subarray(at, Math.min(at + chunkSize, file.length)));
        later(() => send(at + chunkSize));
      };
      later(() => send(from));
    });
    return true;
  }

  cancel(): void {
    this.cancelCurrent?.();
    this.cancelCurrent = undefined;
  }
}

/**
 * A cloud holding one update document that it delivers at every connection, as Murano's
 * config_otau resource is read at every start; it records what the device reports.
 */
export class InProcessCloud implements CloudLink {
  readonly reports: Array<{ channel: Channel; document: string }> = [];
  private deliver: ConfigDelivery | undefined;
  private document: { source: ConfigSource; body: string } | undefined;

  constructor(private readonly clock: Clock, private readonly connectDelayMs = 1) {}

  /** Sets the document; a connected device gets it at once. */
  publish(source: ConfigSource, body: string): void {
    this.document = { source, body };
    this.sendLater();
  }

  connect(deliver: ConfigDelivery): void {
    this.deliver = deliver;
    this.sendLater();
  }

  report(channel: Channel, document: string): void {
    this.reports.push({ channel, document });
  }

  disconnect(): void {
    this.deliver = undefined;
  }

  private sendLater(): void {
    const deliver = this.deliver;
    const document = this.document;
    if (!deliver || !document) return;
    this.clock.at(this.clock.now() + this.connectDelayMs, () => {
      if (this.deliver === deliver) deliver(document.source, document.body);
    });
  }
}
