import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveRange } from './byte-range.ts';
import type { Fault, FaultSpec } from './faults.ts';

/** How a content response ended, as seen by the server. */
export type ContentOutcome =
  /** Everything the headers promised was sent. */
  | 'complete'
  /** A `close@K` fault dropped the connection mid-body. */
  | 'closed-by-fault'
  /** The client went away (or the server stopped) before the end. */
  | 'aborted';

export interface ContentResponseProgress {
  status?: number;
  bytesSent: number;
  outcome?: ContentOutcome;
}

/** Unthrottled bodies go out in chunks of this size, so stalls and closes land exactly. */
const CHUNK_BYTES = 64 * 1024;
/** A throttled body is sent in about this many slices per second. */
const THROTTLE_SLICES_PER_SECOND = 50;

/**
 * Answers a GET or HEAD for `body`: honours a single byte Range (206 + Content-Range, 416 when
 * unsatisfiable) and applies the request's faults. `progress` is updated as bytes go out so a
 * caller can log what the client really received. Resolves when the response is over.
 */
export async function sendContent(
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array,
  spec: FaultSpec | undefined,
  signal: AbortSignal,
  progress: ContentResponseProgress,
  contentType = 'application/octet-stream',
): Promise<void> {
  const faults = spec?.faults ?? [];
  const find = <K extends Fault['kind']>(kind: K) => faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);

  const delay = find('delay');
  if (delay && !(await sleep(delay.ms, signal))) {
    progress.outcome = 'aborted';
    return;
  }

  const redirect = find('redirect');
  if (redirect) {
    progress.status = 302;
    res.writeHead(302, { Location: redirect.location, 'Content-Type': 'text/plain' });
    res.end(req.method === 'HEAD' ? undefined : `moved to ${redirect.location}\n`);
    progress.outcome = 'complete';
    return;
  }

  const status = find('status');
  if (status) {
    progress.status = status.code;
    res.writeHead(status.code, { 'Content-Type': 'text/plain' });
    res.end(req.method === 'HEAD' ? undefined : `injected fault: status ${status.code}\n`);
    progress.outcome = 'complete';
    return;
  }

  const ignoreRange = find('ignore-range') !== undefined;
  const range = resolveRange(ignoreRange ? undefined : req.headers.range, body.length);
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    // A server that ignores ranges should not advertise them.
    'Accept-Ranges': ignoreRange ? 'none' : 'bytes',
  };

  if (range.kind === 'unsatisfiable') {
    progress.status = 416;
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${body.length}`, 'Content-Length': 0 });
    res.end();
    progress.outcome = 'complete';
    return;
  }

  const start = range.kind === 'partial' ? range.start : 0;
  let slice = range.kind === 'partial' ? body.subarray(range.start, range.end + 1) : body;
  const truncate = find('truncate');
  if (truncate && truncate.at < slice.length) slice = slice.subarray(0, truncate.at);

  const flips = faults.filter((f): f is Extract<Fault, { kind: 'flip' }> => f.kind === 'flip' && f.at < slice.length);
  if (flips.length > 0) {
    slice = Buffer.from(slice);
    for (const flip of flips) slice[flip.at] ^= 0xff;
  }

  const rangeFrom = find('range-from');
  if (rangeFrom && range.kind === 'partial') {
    // The lie: the body is another part of the file than the Content-Range names.
    slice = body.subarray(Math.min(rangeFrom.at, body.length), Math.min(rangeFrom.at + slice.length, body.length));
  }

  progress.status = range.kind === 'partial' ? 206 : 200;
  if (faults.some((f) => RAW_FRAMING.has(f.kind))) {
    await sendRaw(req, res, progress, faults, slice, {
      ...headers,
      ...(range.kind === 'partial' && !find('no-content-range')
        ? { 'Content-Range': `bytes ${start}-${start + slice.length - 1}/${body.length}` } : {}),
    });
    return;
  }
  headers['Content-Length'] = slice.length;
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${start + slice.length - 1}/${body.length}`;
  res.writeHead(progress.status, headers);
  if (req.method === 'HEAD') {
    res.end();
    progress.outcome = 'complete';
    return;
  }
  progress.outcome = await writeBody(res, slice, faults, signal, progress);
}

/** Faults that need the response written raw (ServerResponse keeps HTTP well-formed). */
const RAW_FRAMING = new Set<Fault['kind']>(['extra', 'chunked', 'chunked-junk', 'length', 'range-from', 'no-content-range']);

/** Writes the whole response straight onto the socket, framed as the faults say, then closes it. */
async function sendRaw(
  req: IncomingMessage,
  res: ServerResponse,
  progress: ContentResponseProgress,
  faults: readonly Fault[],
  slice: Uint8Array,
  headers: Record<string, string | number>,
): Promise<void> {
  const socket = req.socket;
  const has = (kind: Fault['kind']) => faults.some((f) => f.kind === kind);
  const extra = faults.find((f): f is Extract<Fault, { kind: 'extra' }> => f.kind === 'extra');
  const length = faults.find((f): f is Extract<Fault, { kind: 'length' }> => f.kind === 'length');
  const junk = Buffer.alloc(extra?.bytes ?? 0, 0x5a);
  const chunked = has('chunked') || has('chunked-junk');
  const lines = [`HTTP/1.1 ${progress.status} ${progress.status === 206 ? 'Partial Content' : 'OK'}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (chunked) lines.push('Transfer-Encoding: chunked');
  else lines.push(`Content-Length: ${length?.text ?? slice.length}`);
  const parts: Buffer[] = [Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')];
  if (req.method !== 'HEAD') {
    if (chunked) {
      // chunked-junk breaks the framing half way through the body, so the answer is never whole.
      const sent = has('chunked-junk') ? slice.subarray(0, slice.length >> 1) : slice;
      for (const piece of [sent, junk]) {
        if (piece.length > 0) parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), Buffer.from(piece), Buffer.from('\r\n'));
      }
      parts.push(Buffer.from(has('chunked-junk') ? 'zz\r\nnot a chunk\r\n\r\n' : '0\r\n\r\n'));
    } else {
      parts.push(Buffer.from(slice), junk);
    }
  }
  // The ServerResponse is abandoned: it must not write its own status line afterwards.
  res.detachSocket(socket);
  await new Promise<void>((resolve) => socket.end(Buffer.concat(parts), () => resolve()));
  progress.bytesSent += slice.length + junk.length;
  progress.outcome = 'complete';
}

async function writeBody(
  res: ServerResponse,
  body: Uint8Array,
  faults: readonly Fault[],
  signal: AbortSignal,
  progress: ContentResponseProgress,
): Promise<ContentOutcome> {
  const stalls = faults
    .filter((f): f is Extract<Fault, { kind: 'stall' }> => f.kind === 'stall' && f.at <= body.length)
    .sort((a, b) => a.at - b.at);
  const close = faults.find((f): f is Extract<Fault, { kind: 'close' }> => f.kind === 'close' && f.at < body.length);
  const throttle = faults.find((f): f is Extract<Fault, { kind: 'throttle' }> => f.kind === 'throttle');
  const chunkLimit = throttle ? Math.max(1, Math.ceil(throttle.bytesPerSecond / THROTTLE_SLICES_PER_SECOND)) : CHUNK_BYTES;

  let position = 0;
  let nextStall = 0;
  // Headers go out with the first body write; send them now so close@0 still delivers them.
  res.flushHeaders();
  for (;;) {
    while (nextStall < stalls.length && stalls[nextStall].at <= position) {
      if (!(await sleep(stalls[nextStall].ms, signal))) return abandon(res);
      nextStall += 1;
    }
    if (close && position >= close.at) {
      // The written bytes are already with the kernel; closing sends them, then FIN.
      res.socket?.destroy();
      return 'closed-by-fault';
    }
    if (position >= body.length) break;
    let end = Math.min(body.length, position + chunkLimit);
    if (close) end = Math.min(end, close.at);
    if (nextStall < stalls.length) end = Math.min(end, stalls[nextStall].at);
    if (!(await writeChunk(res, body.subarray(position, end)))) return abandon(res);
    progress.bytesSent += end - position;
    if (throttle && !(await sleep(((end - position) * 1000) / throttle.bytesPerSecond, signal))) return abandon(res);
    position = end;
  }
  res.end();
  return 'complete';
}

function abandon(res: ServerResponse): ContentOutcome {
  res.socket?.destroy();
  return 'aborted';
}

/** Resolves true once the chunk is handed to the socket, false if the response died first. */
function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed || !res.socket || res.socket.destroyed) {
      resolve(false);
      return;
    }
    const onClose = (): void => resolve(false);
    res.once('close', onClose);
    res.write(chunk, (error) => {
      res.off('close', onClose);
      resolve(!error);
    });
  });
}

/** Waits `ms`; resolves false instead if `signal` aborts first (server stopping). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
