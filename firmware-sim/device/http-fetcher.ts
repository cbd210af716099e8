// The agent's `fetch` over real HTTP(S): one ranged GET at a time, its answer streamed to
// the device as it arrives. It only moves bytes; whether an answer is acceptable (status,
// range, length) is the agent's decision.
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { RANGE_START_UNKNOWN } from "../agent/agent-instance.ts";
import type { Fetcher, FetchSink } from "./transport.ts";

export interface HttpFetchRecord {
  url: string;
  offset: number;
  /** The HTTP status, once the server answered. */
  status?: number;
}

/** The agent's I/O buffer size: body bytes go to it in pieces of this size. */
const DEFAULT_CHUNK_BYTES = 4096;
/** A partial piece waits no longer than this for the rest (a stalled server's bytes still count). */
const PARTIAL_CHUNK_WAIT_MS = 20;

export class HttpFetcher implements Fetcher {
  /** Every transfer started, oldest first. */
  readonly requests: HttpFetchRecord[] = [];
  private current: { request: ClientRequest; cancelled: boolean } | undefined;

  /**
   * `chunkBytes`: the body is handed on in pieces of exactly this size (the last may be
   * shorter), whatever the TCP segments were, so the agent's flash writes, and a power
   * cut at flash operation k, do not depend on network timing. Only when the body pauses
   * is a partial piece handed on early.
   * `agent`: a keep-alive http: agent shared by many devices (a fleet) reuses connections between
   * transfers; a cancelled or dropped transfer destroys its socket, so none is reused broken.
   * Default: a fresh connection per transfer.
   */
  constructor(
    private readonly chunkBytes = DEFAULT_CHUNK_BYTES,
    /** Extra request headers for a URL (the UART bridge adds a Murano device's token to its product content downloads). */
    private readonly headersFor: (target: URL) => Record<string, string> = () => ({}),
    private readonly agent?: Agent,
  ) {}

  start(url: string, offset: number, sink: FetchSink): boolean {
    this.cancel();
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return false;
    }
    const send = target.protocol === "http:" ? httpRequest : target.protocol === "https:" ? httpsRequest : undefined;
    if (!send) return false;
    const record: HttpFetchRecord = { url, offset };
    this.requests.push(record);
    const headers: Record<string, string> = { ...this.headersFor(target), ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}) };
    const transfer = { request: send(target, { headers, agent: (target.protocol === "http:" && this.agent) || false }), cancelled: false };
    let ended = false;
    let pending: Buffer = Buffer.alloc(0);
    let partialTimer: NodeJS.Timeout | undefined;
    const flushPartial = (): void => {
      clearTimeout(partialTimer);
      const partial = pending;
      pending = Buffer.alloc(0);
      if (partial.length > 0 && !transfer.cancelled) sink.data(partial);
    };
    const end = (ok: boolean): void => {
      if (ended || transfer.cancelled) return;
      ended = true;
      // Bytes that arrived before a drop were received: they count.
      flushPartial();
      if (transfer.cancelled) return;
      if (this.current === transfer) this.current = undefined;
      sink.end(ok);
    };
    let response: IncomingMessage | undefined;
    transfer.request.on("response", (res: IncomingMessage) => {
      if (transfer.cancelled) return;
      response = res;
      record.status = res.statusCode ?? 0;
      const [rangeStart, total] = bodyPosition(res);
      sink.response(record.status, rangeStart, total);
      const waitForRest = (): void => {
        clearTimeout(partialTimer);
        if (pending.length > 0) partialTimer = setTimeout(() => !ended && flushPartial(), PARTIAL_CHUNK_WAIT_MS);
      };
      res.on("data", (chunk: Buffer) => {
        if (transfer.cancelled || ended) return;
        let at = 0;
        if (pending.length > 0) {
          // Top up the held piece with only the bytes it lacks; whole pieces after it go on uncopied.
          at = Math.min(this.chunkBytes - pending.length, chunk.length);
          pending = Buffer.concat([pending, chunk.subarray(0, at)]);
          if (pending.length < this.chunkBytes) return waitForRest();
          sink.data(pending);
        }
        for (; chunk.length - at >= this.chunkBytes && !transfer.cancelled && !ended; at += this.chunkBytes) {
          sink.data(chunk.subarray(at, at + this.chunkBytes));
        }
        pending = chunk.subarray(at);
        waitForRest();
      });
      // "end" only comes when the body is complete; a dropped connection closes without it.
      res.on("end", () => end(true));
      res.on("error", () => end(false));
      res.on("close", () => end(res.complete));
    });
    // Bytes after a complete message (junk past Content-Length) fail the parser, but the
    // message itself is whole: its body still drains and "end" still comes.
    transfer.request.on("error", () => {
      if (!response?.complete) end(false);
    });
    transfer.request.end();
    this.current = transfer;
    return true;
  }

  cancel(): void {
    const transfer = this.current;
    this.current = undefined;
    if (!transfer) return;
    transfer.cancelled = true;
    transfer.request.destroy();
  }
}

/**
 * Offset of the body's first byte and the whole resource's length (0 unknown). A 206
 * without a Content-Range this can read reports RANGE_START_UNKNOWN: its bytes have no place.
 */
function bodyPosition(res: IncomingMessage): [number, number] {
  const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers["content-range"] ?? "");
  if (res.statusCode === 206) {
    const start = range ? Number(range[1]) : NaN;
    if (!range || !Number.isSafeInteger(start) || start >= RANGE_START_UNKNOWN) return [RANGE_START_UNKNOWN, 0];
    return [start, range[2] === "*" ? 0 : clampU32(Number(range[2]))];
  }
  const length = Number(res.headers["content-length"]);
  return [0, res.statusCode === 200 && Number.isInteger(length) ? clampU32(length) : 0];
}

/** A length past the ABI's u32 stays the largest u32 (too large for any slot), never wraps. */
function clampU32(value: number): number {
  return Math.min(value, 0xffffffff);
}
