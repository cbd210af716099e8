/**
 * The fault spec language: how a test or the CLI tells a download server to misbehave.
 *
 *   spec := item ("," item)*          whitespace around items is ignored
 *   item := truncate@K | close@K | flip@K | stall@K:MS | throttle:BPS | delay:MS
 *         | ignore-range | status:CODE | times:N | none
 *         | extra:N | chunked | chunked-junk | length:TEXT | range-from:K | no-content-range
 *         | redirect:LOCATION
 *
 * Offsets (K) count bytes of the response body being sent, not file offsets, so a rule that
 * applies to several requests hits each of them at the same distance from its start.
 */

export type Fault =
  /** The body ends after K bytes and the headers say so (Content-Length K; a 206's
   *  Content-Range ends at start+K-1): a well-formed but short answer. K >= 1. */
  | { kind: 'truncate'; at: number }
  /** Headers promise the whole body; the socket is closed after K body bytes. */
  | { kind: 'close'; at: number }
  /** Body byte K is inverted (XOR 0xFF). May appear several times. */
  | { kind: 'flip'; at: number }
  /** The body pauses for MS milliseconds after K bytes. May appear several times. */
  | { kind: 'stall'; at: number; ms: number }
  /** The body is sent at no more than BPS bytes per second. */
  | { kind: 'throttle'; bytesPerSecond: number }
  /** The status line waits MS milliseconds (time to first byte). */
  | { kind: 'delay'; ms: number }
  /** Answer 200 with the whole file even when a Range was asked. */
  | { kind: 'ignore-range' }
  /** Answer this status (400-599) with a short text body instead of the content. */
  | { kind: 'status'; code: number }
  // Hostile framing: the response is written raw onto the socket, so it can break HTTP.
  /** N junk bytes follow the body the headers promised (with chunked: N more bytes of body). */
  | { kind: 'extra'; bytes: number }
  /** Transfer-Encoding: chunked, no Content-Length. */
  | { kind: 'chunked' }
  /** Chunked: the first half of the body, then junk where the next chunk should be (never whole). */
  | { kind: 'chunked-junk' }
  /** The Content-Length header says TEXT (e.g. 1e400, -1, 12abc) whatever is sent. */
  | { kind: 'length'; text: string }
  /** A 206 whose Content-Range names the range asked for but whose body starts at file byte K (a lie). */
  | { kind: 'range-from'; at: number }
  /** A 206 without a Content-Range header. */
  | { kind: 'no-content-range' }
  /** 302 to LOCATION (itself for a loop, another scheme for a protocol change) instead of the content. */
  | { kind: 'redirect'; location: string };

export interface FaultSpec {
  /** The spec as written, for logs. */
  readonly text: string;
  readonly faults: readonly Fault[];
  /** Applies to this many requests, then expires; undefined = every request. */
  readonly times?: number;
}

export class FaultSpecError extends Error {
  constructor(
    readonly spec: string,
    readonly part: string,
    reason: string,
  ) {
    super(`bad fault "${part}" in "${spec}": ${reason}`);
    this.name = 'FaultSpecError';
  }
}

/** Upper bound for any wait, so a typo cannot hang a test run for days. */
const MAX_WAIT_MS = 3_600_000;

/** Faults that can appear once per spec. */
const SINGLE_USE = new Set([
  'truncate', 'close', 'throttle', 'delay', 'ignore-range', 'status', 'extra', 'chunked', 'chunked-junk', 'length',
  'range-from', 'no-content-range', 'redirect',
]);
/** Faults that replace the content with another answer: only delay and times may go with them. */
const ANSWERS = new Set(['status', 'redirect']);

export function parseFaultSpec(spec: string): FaultSpec {
  const text = spec.trim();
  if (text === '') throw new FaultSpecError(spec, '', 'the spec is empty (write "none" for no fault)');
  const faults: Fault[] = [];
  let times: number | undefined;
  let sawNone = false;
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const fail = (reason: string): never => {
      throw new FaultSpecError(text, part, reason);
    };
    if (part === '') fail('empty item (two commas in a row, or a trailing comma)');
    if (part === 'none') {
      sawNone = true;
      continue;
    }
    if (part.startsWith('times:')) {
      if (times !== undefined) fail('times is given twice');
      times = parseInteger(part.slice('times:'.length), 1, Number.MAX_SAFE_INTEGER, 'request count', fail);
      continue;
    }
    const fault = parseFault(part, fail);
    if (SINGLE_USE.has(fault.kind) && faults.some((f) => f.kind === fault.kind)) {
      fail(`${fault.kind} may appear only once`);
    }
    faults.push(fault);
  }
  if (sawNone && faults.length > 0) {
    throw new FaultSpecError(text, 'none', 'none cannot be combined with other faults');
  }
  const status = faults.find((f) => ANSWERS.has(f.kind));
  const bodyFault = faults.find((f) => f !== status && f.kind !== 'delay');
  if (status && bodyFault) {
    throw new FaultSpecError(text, describeFault(bodyFault), `no body is sent with ${describeFault(status)}, so it cannot be combined with body faults`);
  }
  return { text, faults, times };
}

function parseFault(part: string, fail: (reason: string) => never): Fault {
  const at = /^(truncate|close|flip)@(.*)$/.exec(part);
  if (at) {
    const kind = at[1] as 'truncate' | 'close' | 'flip';
    // truncate@0 would have to say "bytes X-(X-1)" in a 206, which HTTP cannot express.
    const min = kind === 'truncate' ? 1 : 0;
    return { kind, at: parseInteger(at[2], min, Number.MAX_SAFE_INTEGER, 'byte offset', fail) };
  }
  const stall = /^stall@([^:]*):(.*)$/.exec(part);
  if (stall) {
    return {
      kind: 'stall',
      at: parseInteger(stall[1], 0, Number.MAX_SAFE_INTEGER, 'byte offset', fail),
      ms: parseInteger(stall[2], 0, MAX_WAIT_MS, 'stall duration in ms', fail),
    };
  }
  if (part.startsWith('stall@')) fail('expected stall@<offset>:<ms>');
  if (part.startsWith('throttle:')) {
    return { kind: 'throttle', bytesPerSecond: parseInteger(part.slice(9), 1, Number.MAX_SAFE_INTEGER, 'bytes per second', fail) };
  }
  if (part.startsWith('delay:')) {
    return { kind: 'delay', ms: parseInteger(part.slice(6), 0, MAX_WAIT_MS, 'delay in ms', fail) };
  }
  if (part === 'ignore-range') return { kind: 'ignore-range' };
  if (part === 'chunked') return { kind: 'chunked' };
  if (part === 'chunked-junk') return { kind: 'chunked-junk' };
  if (part === 'no-content-range') return { kind: 'no-content-range' };
  if (part.startsWith('extra:')) return { kind: 'extra', bytes: parseInteger(part.slice(6), 1, 1 << 20, 'extra byte count', fail) };
  if (part.startsWith('range-from:')) {
    return { kind: 'range-from', at: parseInteger(part.slice(11), 0, Number.MAX_SAFE_INTEGER, 'byte offset', fail) };
  }
  if (part.startsWith('length:')) {
    const text = part.slice(7);
    if (!/^[\x21-\x7e]+$/.test(text)) fail('length needs printable text for the Content-Length header');
    return { kind: 'length', text };
  }
  if (part.startsWith('redirect:')) {
    const location = part.slice(9);
    if (!/^[\x21-\x7e]+$/.test(location)) fail('redirect needs a printable location');
    return { kind: 'redirect', location };
  }
  if (part.startsWith('status:')) {
    return { kind: 'status', code: parseInteger(part.slice(7), 400, 599, 'HTTP status (400-599)', fail) };
  }
  return fail(
    'unknown fault; expected truncate@K, close@K, flip@K, stall@K:MS, throttle:BPS, delay:MS, ignore-range, status:CODE, ' +
      'extra:N, chunked, chunked-junk, length:TEXT, range-from:K, no-content-range, redirect:LOCATION, times:N or none',
  );
}

function parseInteger(text: string, min: number, max: number, what: string, fail: (reason: string) => never): number {
  if (!/^\d+$/.test(text)) fail(`${what} must be a non-negative integer, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) fail(`${what} must be between ${min} and ${max}, got ${text}`);
  return value;
}

/** The spec syntax of one fault, the inverse of parseFault. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'truncate':
    case 'close':
    case 'flip':
      return `${fault.kind}@${fault.at}`;
    case 'stall':
      return `stall@${fault.at}:${fault.ms}`;
    case 'throttle':
      return `throttle:${fault.bytesPerSecond}`;
    case 'delay':
      return `delay:${fault.ms}`;
    case 'ignore-range':
      return 'ignore-range';
    case 'status':
      return `status:${fault.code}`;
    case 'extra':
      return `extra:${fault.bytes}`;
    case 'chunked':
    case 'chunked-junk':
    case 'no-content-range':
      return fault.kind;
    case 'length':
      return `length:${fault.text}`;
    case 'range-from':
      return `range-from:${fault.at}`;
    case 'redirect':
      return `redirect:${fault.location}`;
  }
}
