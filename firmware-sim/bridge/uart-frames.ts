// The frames on the UART between a board and its bridge (docs/uart-bridge.md): 0x7E, the
// escaped bytes of [type][body][CRC-32 of type and body, little-endian], 0x7E. 0x7E and 0x7D
// inside go as 0x7D, byte ^ 0x20, so a reader falls back in step at the next 0x7E whatever it
// lost. The board's side is host/bridge/uart_frames.c.
import { crc32 } from "node:zlib";

const FLAG = 0x7e;
const ESCAPE = 0x7d;
const ESCAPE_XOR = 0x20;
const CRC_BYTES = 4;
/** Type, a 12-byte header at most, an I/O buffer of payload, the CRC (the board's FRAME_MAX). */
export const FRAME_MAX = 1 + 12 + 4096 + CRC_BYTES;

/** Board to bridge. */
export enum BoardFrame {
  /** "<version> <slot>": a boot (or a restarted agent). */
  Hello = 0x01,
  /** id u8, range start u32, URL. */
  Fetch = 0x02,
  /** id u8. */
  Cancel = 0x03,
  /** channel u8, document. */
  Publish = 0x04,
}

/** Bridge to board. */
export enum BridgeFrame {
  /** The cloud answered for this boot. */
  Link = 0x81,
  /** source u8, whole length u32, the document's first bytes (at most 4096). */
  Config = 0x82,
  /** id u8, HTTP status u16, range start u32, total length u32. */
  Response = 0x83,
  /** id u8, body bytes. */
  Data = 0x84,
  /** id u8, complete u8. */
  End = 0x85,
}

export interface Frame {
  type: number;
  body: Buffer;
}

/** One frame on the wire. */
export function encodeFrame(type: number, body: Uint8Array = new Uint8Array(0)): Buffer {
  const plain = Buffer.alloc(1 + body.length + CRC_BYTES);
  plain[0] = type;
  plain.set(body, 1);
  plain.writeUInt32LE(crc32(plain.subarray(0, 1 + body.length)) >>> 0, 1 + body.length);
  const out: number[] = [FLAG];
  for (const byte of plain) {
    if (byte === FLAG || byte === ESCAPE) out.push(ESCAPE, byte ^ ESCAPE_XOR);
    else out.push(byte);
  }
  out.push(FLAG);
  return Buffer.from(out);
}

/** Collects frames out of a byte stream; damaged or overlong ones are dropped. */
export class FrameReader {
  private readonly bytes = Buffer.alloc(FRAME_MAX);
  private length = 0;
  private escaped = false;
  private overlong = false;

  /** The frames `chunk` completes, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    for (let byte of chunk) {
      if (byte === FLAG) {
        const frame = this.take();
        if (frame) frames.push(frame);
        continue;
      }
      if (byte === ESCAPE) {
        this.escaped = true;
        continue;
      }
      if (this.escaped) byte ^= ESCAPE_XOR;
      this.escaped = false;
      if (this.length === FRAME_MAX) this.overlong = true;
      if (!this.overlong) this.bytes[this.length++] = byte;
    }
    return frames;
  }

  private take(): Frame | undefined {
    const length = this.length;
    const intact = !this.overlong && length >= 1 + CRC_BYTES &&
      crc32(this.bytes.subarray(0, length - CRC_BYTES)) >>> 0 === this.bytes.readUInt32LE(length - CRC_BYTES);
    this.length = 0;
    this.escaped = false;
    this.overlong = false;
    if (!intact) return undefined;
    return { type: this.bytes[0], body: Buffer.from(this.bytes.subarray(1, length - CRC_BYTES)) };
  }
}
