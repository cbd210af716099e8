// A device's link to Murano over the HTTP Device API (docs/protocols.md "1. Murano"): activate
// once, then at every boot long-poll `config_otau` (Request-Timeout, If-Modified-Since) and hand each
// value to the agent; the agent's otau_in documents are written back one at a time, in order.
import { Channel, ConfigSource } from "../agent/agent-instance.ts";
import { httpCall } from "./http-call.ts";
import { MuranoActivation } from "./murano-activation.ts";
import type { CloudLink, ConfigDelivery } from "./transport.ts";

const ALIAS_PATH = "/onep:v1/stack/alias";
/** The first poll of a boot asks for anything written since the epoch: Murano devices read config_otau at every start. */
const EPOCH = new Date(0).toUTCString();

export interface MuranoHttpLinkOptions {
  /** Base URL of the HTTP Device API. */
  url: string;
  identity: string;
  /** Request-Timeout of each long-poll. Default 30 s. */
  pollTimeoutMs?: number;
  /** Wait after a failed request before trying again. Default 300 ms. */
  retryMs?: number;
}

export class MuranoHttpLink implements CloudLink {
  /** Requests that failed (network errors, unexpected statuses), for diagnosis. */
  readonly errors: string[] = [];
  private readonly activation: MuranoActivation;
  private readonly retryMs: number;
  private poll: AbortController | undefined;
  private readonly writes: string[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: MuranoHttpLinkOptions) {
    this.activation = new MuranoActivation(options.url, options.identity);
    this.retryMs = options.retryMs ?? 300;
  }

  connect(deliver: ConfigDelivery): void {
    this.disconnect();
    const poll = new AbortController();
    this.poll = poll;
    void this.pollLoop(poll.signal, deliver);
  }

  /** The device's token (CIK), activating on first use. */
  token(): Promise<string> {
    return this.activation.token();
  }

  disconnect(): void {
    this.poll?.abort();
    this.poll = undefined;
  }

  /** The device is gone for good: stop polling and drop unwritten documents. */
  close(): void {
    this.closed = true;
    this.writes.length = 0;
    this.disconnect();
  }

  report(channel: Channel, document: string): void {
    if (channel !== Channel.MuranoOtauIn || this.closed) return;
    this.writes.push(document);
    this.startWriting();
  }

  private startWriting(): void {
    if (this.writing) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined;
      // A document reported while the last write settled: the loop had already ended.
      if (this.writes.length > 0 && !this.closed) this.startWriting();
    });
  }

  /** Resolves once every otau_in document reported so far has been written. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async pollLoop(signal: AbortSignal, deliver: ConfigDelivery): Promise<void> {
    let since = EPOCH;
    while (!signal.aborted) {
      try {
        const response = await httpCall(`${this.options.url}${ALIAS_PATH}?config_otau`, {
          headers: {
            "X-Exosite-CIK": await this.activation.token(),
            "Request-Timeout": String(this.options.pollTimeoutMs ?? 30_000),
            "If-Modified-Since": since,
          },
          signal,
        });
        const body = response.body;
        if (signal.aborted) return;
        if (response.status === 200) {
          since = response.headers["last-modified"] ?? since;
          // The value's bytes as stored, not decoded to text: the agent judges their UTF-8 itself.
          const value = formValueBytes(body, "config_otau");
          if (value !== undefined) deliver(ConfigSource.MuranoConfigOtau, value);
        } else if (response.status !== 304) {
          throw new Error(`config_otau long-poll answered HTTP ${response.status} ${body.toString("utf8").trim()}`);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.errors.push((error as Error).message);
        await sleep(this.retryMs);
      }
    }
  }

  /** Writes queued documents oldest first; a failed write is retried before the next goes. */
  private async writeAll(): Promise<void> {
    while (this.writes.length > 0 && !this.closed) {
      try {
        const response = await httpCall(`${this.options.url}${ALIAS_PATH}`, {
          method: "POST",
          headers: { "X-Exosite-CIK": await this.activation.token(), "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ otau_in: this.writes[0] }).toString(),
        });
        if (response.status !== 204) throw new Error(`otau_in write answered HTTP ${response.status} ${response.body.toString("utf8").trim()}`);
        this.writes.shift();
      } catch (error) {
        if (this.closed) return;
        this.errors.push((error as Error).message);
        await sleep(this.retryMs);
      }
    }
  }
}

/** The bytes of `key`'s value in an application/x-www-form-urlencoded body, percent-decoded. */
export function formValueBytes(body: Buffer, key: string): Buffer | undefined {
  for (const pair of body.toString("latin1").split("&")) {
    const equals = pair.indexOf("=");
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (decodeURIComponent(name.replace(/\+/g, " ")) !== key) continue;
    const value = equals < 0 ? "" : pair.slice(equals + 1).replace(/\+/g, " ");
    return Buffer.from(value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1");
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
