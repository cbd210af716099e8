// A post-link step for the release agent: merges its active data segments that lie close
// together into one, filling the gap with the zeros memory already holds there.
//
//   node scripts/merge-data-segments.mjs <in.wasm> [<out.wasm>] [--max-gap <bytes>]
//
// asc (binaryen's memory packing) cuts static data at every run of zeros, so each string
// literal's header becomes its own segment: 526 of them. wasm3 keeps 20 bytes of RAM per
// segment, and wasm2c emits one copy call per segment; a few zero bytes in the file cost less.
// The module's memory after instantiation is the same byte for byte. Only active segments of
// memory 0 at constant offsets are merged; a module with passive segments (which memory.init
// and data.drop name by index) is refused.
import { readFileSync, writeFileSync } from 'node:fs';

const DATA_SECTION = 11;
const DATA_COUNT_SECTION = 12;
const I32_CONST = 0x41;
const END = 0x0b;
export const DEFAULT_MAX_GAP = 32;

class Reader {
  constructor(bytes, at = 0) { this.bytes = bytes; this.at = at; }
  byte() { return this.bytes[this.at++]; }
  u32() {
    let value = 0, shift = 0, byte;
    do { byte = this.byte(); value |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    return value >>> 0;
  }
  i32() {
    let value = 0, shift = 0, byte;
    do { byte = this.byte(); value |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    if (shift < 32 && (byte & 0x40)) value |= -1 << shift;
    return value | 0;
  }
  take(n) { const out = this.bytes.subarray(this.at, this.at + n); this.at += n; return out; }
}

function u32(value) {
  const out = [];
  do { let byte = value & 0x7f; value >>>= 7; if (value) byte |= 0x80; out.push(byte); } while (value);
  return Buffer.from(out);
}

function i32(value) {
  const out = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(byte & 0x40)) || (value === -1 && (byte & 0x40))) { out.push(byte); break; }
    out.push(byte | 0x80);
  }
  return Buffer.from(out);
}

function readSegments(body) {
  const reader = new Reader(body);
  const count = reader.u32();
  const segments = [];
  for (let i = 0; i < count; i++) {
    const flags = reader.u32();
    if (flags !== 0) throw new Error(`data segment ${i} is not an active segment of memory 0 (flags ${flags}): cannot merge`);
    if (reader.byte() !== I32_CONST) throw new Error(`data segment ${i} has a non-constant offset: cannot merge`);
    const offset = reader.i32() >>> 0;
    if (reader.byte() !== END) throw new Error(`data segment ${i} has a non-constant offset: cannot merge`);
    const bytes = reader.take(reader.u32());
    segments.push({ offset, bytes });
  }
  return segments;
}

/** Segments sorted by address, neighbours at most `maxGap` bytes apart joined. Overlaps are refused. */
export function mergeSegments(segments, maxGap) {
  const sorted = [...segments].sort((a, b) => a.offset - b.offset);
  const merged = [];
  for (const segment of sorted) {
    const last = merged.at(-1);
    const lastEnd = last ? last.offset + last.length : 0;
    if (last && segment.offset < lastEnd) throw new Error(`data segments overlap at ${segment.offset}: cannot merge`);
    if (last && segment.offset - lastEnd <= maxGap) {
      last.parts.push({ at: segment.offset - last.offset, bytes: segment.bytes });
      last.length = segment.offset + segment.bytes.length - last.offset;
    } else {
      merged.push({ offset: segment.offset, length: segment.bytes.length, parts: [{ at: 0, bytes: segment.bytes }] });
    }
  }
  return merged.map(({ offset, length, parts }) => {
    const bytes = Buffer.alloc(length);
    for (const part of parts) Buffer.from(part.bytes).copy(bytes, part.at);
    return { offset, bytes };
  });
}

function encodeSegments(segments) {
  const parts = [u32(segments.length)];
  for (const { offset, bytes } of segments) parts.push(Buffer.from([0, I32_CONST]), i32(offset | 0), Buffer.from([END]), u32(bytes.length), Buffer.from(bytes));
  return Buffer.concat(parts);
}

/** The module with its data segments merged; `before` and `after` count them. */
export function mergeDataSegments(module, maxGap = DEFAULT_MAX_GAP) {
  const input = Buffer.from(module);
  if (input.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const out = [input.subarray(0, 8)];
  const reader = new Reader(input, 8);
  let before = 0, after = 0;
  while (reader.at < input.length) {
    const id = reader.byte();
    const size = reader.u32();
    const body = reader.take(size);
    if (id === DATA_SECTION) {
      const segments = readSegments(body);
      const merged = mergeSegments(segments, maxGap);
      before = segments.length;
      after = merged.length;
      const encoded = encodeSegments(merged);
      out.push(Buffer.from([id]), u32(encoded.length), encoded);
    } else if (id === DATA_COUNT_SECTION) {
      out.push(Buffer.from([id]), null); // filled in once the data section is read
    } else {
      out.push(Buffer.from([id]), u32(size), body);
    }
  }
  const countAt = out.indexOf(null);
  if (countAt >= 0) { const body = u32(after); out.splice(countAt, 1, u32(body.length), body); }
  return { module: Buffer.concat(out), before, after };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const gapAt = args.indexOf('--max-gap');
  const maxGap = gapAt >= 0 ? Number(args.splice(gapAt, 2)[1]) : DEFAULT_MAX_GAP;
  const [input, output = input] = args;
  if (!input || !Number.isInteger(maxGap) || maxGap < 0) {
    console.error('usage: merge-data-segments.mjs <in.wasm> [<out.wasm>] [--max-gap <bytes>]');
    process.exit(2);
  }
  try {
    const { module, before, after } = mergeDataSegments(readFileSync(input), maxGap);
    if (!WebAssembly.validate(module)) throw new Error('the merged module does not validate');
    writeFileSync(output, module);
    console.log(`merge-data-segments: ${input}: ${before} data segments -> ${after}, ${module.length} bytes`);
  } catch (error) {
    console.error(`merge-data-segments: ${input}: ${error.message}`);
    process.exit(1);
  }
}
