// The host side of a board's UART (docs/uart-bridge.md): a board without a network stack
// reaches the cloud through it, as an MCU does through a modem or a co-processor. It listens on
// a loopback TCP port (QEMU's `-serial tcp:127.0.0.1:<port>` connects to it; a USB-UART is
// bridged to it by a serial-to-TCP relay) and speaks the Murano HTTP Device API on the
// device's behalf: activation, config_otau long-polled and handed to the board, otau_in
// written back, and the agent's downloads (product content with the device's token, or any
// http(s) URL) with Range, streamed to the board in 4 KiB data frames.
import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import type { ConfigSource } from "../agent/agent-instance.ts";
import { HttpFetcher } from "../device/http-fetcher.ts";
import { MuranoHttpLink } from "../device/murano-http-link.ts";
import { BoardFrame, BridgeFrame, encodeFrame, FrameReader, type Frame } from "./uart-frames.ts";

/** The agent's I/O buffer: a config frame carries at most this much of a document, a data frame this much body. */
const IO_BUFFER_BYTES = 4096;
const RETRY_MS = 300;

export interface UartBridgeOptions {
  /** Base URL of the Murano HTTP Device API. */
  murano: string;
  /** The device's identity in the product. */
  identity: string;
  /** Request-Timeout of each config_otau long-poll. Default 30 s. */
  pollTimeoutMs?: number;
}

/**
 * Events: `hello` (version, slot) when the board (re)starts its agent, `publish` (channel,
 * document) for each status it sends, `connection` when a board connects.
 */
export class UartBridge extends EventEmitter {
  /** Requests that failed (the cloud link's and the bridge's), for diagnosis. */
  readonly errors: string[] = [];
  private readonly link: MuranoHttpLink;
  private readonly fetcher: HttpFetcher;
  private readonly server: Server;
  private socket: Socket | undefined;
  private token: string | undefined;
  /** Counts boots and connections: work begun for an older one stops. */
  private session = 0;
  private fetchId: number | undefined;

  constructor(private readonly options: UartBridgeOptions) {
    super();
    this.link = new MuranoHttpLink({ url: options.murano, identity: options.identity, pollTimeoutMs: options.pollTimeoutMs });
    const murano = new URL(options.murano).origin;
    // Product content (GET /provision/download) is the device's to read: it goes with its token.
    this.fetcher = new HttpFetcher(IO_BUFFER_BYTES, (target): Record<string, string> =>
      target.origin === murano && this.token ? { "X-Exosite-CIK": this.token } : {});
    this.server = createServer((socket) => this.attach(socket));
  }

  /** Listens on 127.0.0.1 (`port` 0: a free one); resolves with the port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  async close(): Promise<void> {
    this.endSession();
    this.link.close();
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves once every status the board sent has been written to the cloud. */
  flushed(): Promise<void> {
    return this.link.flushed();
  }

  /** A board connected (QEMU started, or a serial relay): it replaces the one before. */
  private attach(socket: Socket): void {
    this.socket?.destroy();
    this.endSession();
    this.socket = socket;
    const reader = new FrameReader();
    socket.on("data", (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) this.handle(frame);
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.endSession();
    });
    this.emit("connection");
  }

  private endSession(): void {
    this.session++;
    this.fetchId = undefined;
    this.fetcher.cancel();
    this.link.disconnect();
  }

  private send(type: BridgeFrame, body?: Uint8Array): void {
    this.socket?.write(encodeFrame(type, body));
  }

  private handle(frame: Frame): void {
    const body = frame.body;
    switch (frame.type) {
      case BoardFrame.Hello: {
        const [version, slot] = body.toString("utf8").split(" ");
        this.endSession();
        this.emit("hello", version, slot);
        void this.startSession(this.session);
        return;
      }
      case BoardFrame.Fetch:
        if (body.length >= 5) this.startFetch(body[0], body.readUInt32LE(1), body.subarray(5).toString("utf8"));
        return;
      case BoardFrame.Cancel:
        if (body.length >= 1 && body[0] === this.fetchId) {
          this.fetchId = undefined;
          this.fetcher.cancel();
        }
        return;
      case BoardFrame.Publish: {
        if (body.length < 1) return;
        const document = body.subarray(1).toString("utf8");
        this.link.report(body[0], document);
        this.emit("publish", body[0], document);
        return;
      }
    }
  }

  /** Reaches the cloud (activation once, then a server timestamp read), tells the board, then
   * long-polls config_otau from the epoch, as a Murano device does at every start. */
  private async startSession(session: number): Promise<void> {
    while (session === this.session) {
      try {
        this.token = await this.link.token();
        const response = await fetch(`${this.options.murano}/timestamp`, { headers: { "X-Exosite-CIK": this.token } });
        await response.text();
        if (response.status !== 200) throw new Error(`GET /timestamp answered HTTP ${response.status}`);
        if (session !== this.session) return;
        this.send(BridgeFrame.Link);
        this.link.connect((source, document) => {
          if (session === this.session) this.sendConfig(source, document);
        });
        return;
      } catch (error) {
        this.errors.push((error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private sendConfig(source: ConfigSource, document: string | Uint8Array): void {
    const bytes = typeof document === "string" ? Buffer.from(document, "utf8") : Buffer.from(document);
    const head = Buffer.alloc(5);
    head[0] = source;
    head.writeUInt32LE(bytes.length, 1);
    // A longer document: its first bytes and its length, as the ABI's on_config takes it.
    this.send(BridgeFrame.Config, Buffer.concat([head, bytes.subarray(0, IO_BUFFER_BYTES)]));
  }

  private startFetch(id: number, offset: number, url: string): void {
    this.fetchId = id;
    const current = (): boolean => this.fetchId === id;
    const started = this.fetcher.start(url, offset, {
      response: (status, rangeStart, totalLength) => {
        if (!current()) return;
        const head = Buffer.alloc(11);
        head[0] = id;
        head.writeUInt16LE(status, 1);
        head.writeUInt32LE(rangeStart, 3);
        head.writeUInt32LE(totalLength, 7);
        this.send(BridgeFrame.Response, head);
      },
      data: (bytes) => {
        if (current()) this.send(BridgeFrame.Data, Buffer.concat([Buffer.from([id]), bytes]));
      },
      end: (ok) => {
        if (!current()) return;
        this.fetchId = undefined;
        this.send(BridgeFrame.End, Buffer.from([id, ok ? 1 : 0]));
      },
    });
    if (!started) {
      this.errors.push(`cannot fetch ${url}`);
      this.fetchId = undefined;
      this.send(BridgeFrame.End, Buffer.from([id, 0]));
    }
  }
}
