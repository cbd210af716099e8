// Serialises statuses into the clouds' documents and hands them to the host:
// otau_in for Murano, a local status plus `applied` for Kaa. Written into static
// memory with JSON escaping; nothing is allocated.
import { Channel } from "../abi";
import { report } from "../host";
import { Cloud, cloudOf, versionLength, versionPtr } from "../manifest/update_request";
import { messageClear, messageLength, messagePtr, say, sayBytes } from "../message";
import { Status, statusName } from "./status";
import { Text, text, textBytes, textLength } from "../text";

const OUT_CAPACITY: i32 = 1536;
const out = memory.data(OUT_CAPACITY);
let used: i32 = 0;

function putByte(b: u32): void {
  if (used < OUT_CAPACITY) store<u8>(out + used++, <u8>b);
}

function putText(t: Text): void {
  const n = <i32>textLength(t);
  for (let i = 0; i < n; i++) putByte(load<u8>(textBytes(t) + i));
}

function putHexDigit(d: u32): void {
  putByte(d < 10 ? 0x30 + d : 0x57 + d);
}

/** A JSON string from UTF-8 bytes, escaping what RFC 8259 requires. */
function putString(ptr: usize, len: i32): void {
  putByte(0x22);
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    // Room for the longest escape and the closing quote, or stop: the document stays valid.
    if (used + 8 > OUT_CAPACITY) break;
    if (c == 0x22 || c == 0x5c) {
      putByte(0x5c);
      putByte(c);
    } else if (c < 0x20) {
      putText(text("\\u00"));
      putHexDigit(c >> 4);
      putHexDigit(c & 15);
    } else {
      putByte(c);
    }
  }
  putByte(0x22);
}

/** The otau_in document `{"version":…,"status":…,"message":…}` for request `req`. */
function buildOtauIn(req: usize, status: Status): void {
  used = 0;
  putText(text("{\"version\":"));
  putString(versionPtr(req), versionLength(req));
  putText(text(",\"status\":\""));
  putText(statusName(status));
  putText(text("\",\"message\":"));
  putString(messagePtr(), messageLength());
  putByte(0x7d);
}

/** Starts a message with "version <req's version>". */
export function sayVersion(req: usize): void {
  messageClear();
  say("version ");
  sayBytes(versionPtr(req), versionLength(req));
}

/** Reports `status` of request `req` with the current message. */
export function reportStatus(req: usize, status: Status): void {
  buildOtauIn(req, status);
  report(cloudOf(req) == Cloud.Murano ? Channel.MuranoOtauIn : Channel.KaaStatus, out, used);
  if (cloudOf(req) == Cloud.Kaa) reportKaaOutcome(req, status);
}

/**
 * Kaa hears only outcomes: `applied` with the configId, and a statusCode + reason when it
 * failed. A document refused before its configId was read has nothing to answer to.
 */
function reportKaaOutcome(req: usize, status: Status): void {
  if (versionLength(req) == 0) return;
  let code = 0;
  if (status == Status.TestError) code = 400;
  else if (status == Status.DownloadError || status == Status.InstallError) code = 500;
  else if (status == Status.InstallAborted) code = 409;
  else if (status != Status.InstalledVersion) return;
  used = 0;
  putText(text("{\"configId\":"));
  putString(versionPtr(req), versionLength(req));
  if (code != 0) {
    putText(text(",\"statusCode\":"));
    putByte(0x30 + code / 100);
    putByte(0x30 + (code / 10) % 10);
    putByte(0x30 + code % 10);
    putText(text(",\"reasonPhrase\":"));
    putString(messagePtr(), messageLength());
  }
  putByte(0x7d);
  report(Channel.KaaApplied, out, used);
}
