// Field readers shared by the Murano and Kaa documents: each copies one validated JSON
// value into the candidate request, or composes the TEST_ERROR message that names the
// field, the rule and the value involved, and returns false.
import { decodeString, firstElement, nextElement, parseU32, valueEnd, valueType, JsonType } from "../json/reader";
import { messageClear, say, sayBytes, sayHex, sayNumber, sayText } from "../message";
import {
  DIGEST_SIZE, MAX_FILES, VERSION_CAPACITY, addFile, fileCount, fileDigest, markDigestKnown, setFileSize,
  setVersionLength, urlPoolNext, urlPoolRoom, versionPtr,
} from "./update_request";
import { Text, text } from "../text";
import { firstControlByte } from "./version";

/** Starts an error message: `field "name" <rule>`. */
export function fieldError(field: Text, rule: Text): void {
  messageClear();
  say("field \"");
  sayText(field);
  say("\" ");
  sayText(rule);
}

/** The value's JSON text as it stands in the document (cut by the message's own bound). */
export function sayToken(at: usize, end: usize): void {
  sayBytes(at, valueEnd(at, end) - at);
}

export function readVersion(req: usize, at: usize, end: usize, field: Text): bool {
  const len = decodeString(at, end, versionPtr(req), VERSION_CAPACITY);
  if (len < 0) {
    fieldError(field, text("is longer than "));
    sayNumber(VERSION_CAPACITY);
    say(" bytes");
    return false;
  }
  if (len == 0) {
    fieldError(field, text("is empty"));
    return false;
  }
  const bad = firstControlByte(versionPtr(req), len);
  if (bad >= 0) {
    fieldError(field, text("has byte 0x"));
    sayHex(versionPtr(req) + bad, 1);
    say(" at ");
    sayNumber(bad);
    say(", a control character a version cannot hold");
    return false;
  }
  setVersionLength(req, len);
  return true;
}

/** Adds one file whose URL is the JSON string at `at`. */
export function readUrl(req: usize, at: usize, end: usize, field: Text): bool {
  if (fileCount(req) >= MAX_FILES) {
    fieldError(field, text("lists more than "));
    sayNumber(MAX_FILES);
    say(" files");
    return false;
  }
  if (valueType(at) != JsonType.String) {
    fieldError(field, text("must hold URL strings"));
    return false;
  }
  const len = decodeString(at, end, urlPoolNext(req), urlPoolRoom(req));
  if (len < 0) {
    fieldError(field, text("has URLs longer than the "));
    sayNumber(urlPoolRoom(req));
    say(" bytes left for them");
    return false;
  }
  if (len == 0) {
    fieldError(field, text("has an empty URL"));
    return false;
  }
  addFile(req, len);
  return true;
}

/** One URL string, or an array of them. */
export function readUrls(req: usize, at: usize, end: usize, field: Text): bool {
  if (valueType(at) != JsonType.Array) return readUrl(req, at, end, field);
  let element = firstElement(at, end);
  if (element == 0) {
    fieldError(field, text("is an empty list"));
    return false;
  }
  while (element != 0) {
    if (!readUrl(req, element, end, field)) return false;
    element = nextElement(element, end);
  }
  return true;
}

function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

const digestText = memory.data(DIGEST_SIZE * 2);

function readDigest(req: usize, index: i32, at: usize, end: usize, field: Text): bool {
  const len = valueType(at) == JsonType.String ? decodeString(at, end, digestText, DIGEST_SIZE * 2) : -1;
  let valid = len == DIGEST_SIZE * 2;
  const out = fileDigest(req, index);
  for (let i = 0; valid && i < DIGEST_SIZE; i++) {
    const hi = hexValue(load<u8>(digestText + (i << 1)));
    const lo = hexValue(load<u8>(digestText + (i << 1) + 1));
    valid = hi >= 0 && lo >= 0;
    store<u8>(out + i, <u8>((hi << 4) | lo));
  }
  if (!valid) {
    fieldError(field, text("must be 64 hexadecimal digits, not "));
    sayToken(at, end);
    return false;
  }
  markDigestKnown(req, index);
  return true;
}

function readSize(req: usize, index: i32, at: usize, end: usize, field: Text): bool {
  const size = valueType(at) == JsonType.Number ? parseU32(at, end) : -1;
  if (size < 0) {
    fieldError(field, text("must be a whole number of bytes below 4 GiB, not "));
    sayBytes(at, valueEnd(at, end) - at);
    return false;
  }
  setFileSize(req, index, <u32>size);
  return true;
}

/**
 * A per-file value (`sha256`, `size`): a single value for one file, or an array with
 * exactly one entry per file.
 */
export function readPerFile(req: usize, at: usize, end: usize, field: Text, isDigest: bool): bool {
  const files = fileCount(req);
  if (valueType(at) != JsonType.Array) {
    if (files != 1) {
      fieldError(field, text("must be a list with one entry per file ("));
      sayNumber(files);
      say(" files)");
      return false;
    }
    return isDigest ? readDigest(req, 0, at, end, field) : readSize(req, 0, at, end, field);
  }
  let index = 0;
  let element = firstElement(at, end);
  while (element != 0) {
    if (index >= files) break;
    if (!(isDigest ? readDigest(req, index, element, end, field) : readSize(req, index, element, end, field))) return false;
    index++;
    element = nextElement(element, end);
  }
  if (index != files || element != 0) {
    fieldError(field, text("has a different number of entries than there are files ("));
    sayNumber(files);
    say(")");
    return false;
  }
  return true;
}
