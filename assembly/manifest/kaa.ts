// Kaa OTA Orchestrator: the cmx_ota configuration response
// `{"configId": "<version>", "config": {<software specification>}}`, `{}` when the
// endpoint is up to date, or an error reply with statusCode/reasonPhrase.
import { SchemaError, matchSchema, Schema } from "../json/schema";
import { JsonType, decodeString, decodeStringPrefix, parseU32, prefixWasCut } from "../json/reader";
import { messageClear, say, sayBytes, sayHex, sayNumber, sayText } from "../message";
import { DocumentResult, checkDocument, schemaProblem } from "./document";
import { fieldError, readPerFile, readUrls, readVersion, sayToken } from "./fields";
import { readSlotBuilds, slotBuildsReset } from "./slot_builds";
import { Cloud, UpdateKind, clearRequest, fileCount, markSigned, setKind } from "./update_request";
import { text } from "../text";

const RESPONSE_FIELDS: Schema = memory.data<usize>([
  text("configId"), JsonType.String,
  text("config"), JsonType.Object,
  text("statusCode"), JsonType.Number,
  text("reasonPhrase"), JsonType.String,
  0,
]);
const CONFIG_ID = 0, CONFIG = 1, STATUS_CODE = 2, REASON = 3;
const responseFound = memory.data(4 * sizeof<usize>());

// The specification is free JSON; these are the fields the agent reads by convention.
const SPEC_FIELDS: Schema = memory.data<usize>([
  text("link"), JsonType.String,
  text("links"), JsonType.Array,
  text("sha256"), JsonType.String | JsonType.Array,
  text("size"), JsonType.Number | JsonType.Array,
  text("upgradableFrom"), JsonType.Array,
  text("signature"), JsonType.String,
  text("keyId"), JsonType.String,
  text("slots"), JsonType.Object,
  0,
]);
const LINK = 0, LINKS = 1, SHA256 = 2, SIZE = 3, UPGRADABLE_FROM = 4, SIGNATURE = 5, SLOTS = 7;
const specFound = memory.data(8 * sizeof<usize>());

/** Kaa's upgradableFrom array, as a slice of the document valid while it is handled (0 when absent). */
export let upgradableFromAt: usize = 0;
export let documentEnd: usize = 0;

function found(table: usize, index: i32): usize {
  return load<usize>(table + (<usize>index) * sizeof<usize>());
}

const REASON_CAPACITY: i32 = 160;
const reasonText = memory.data(REASON_CAPACITY);

/**
 * The server's own text into the message for the device log: controls (C0, DEL, C1) and the
 * backslash written as JSON-style escapes, so it can neither forge log lines nor send
 * terminal escape sequences.
 */
function sayEscaped(ptr: usize, len: i32): void {
  let run = 0;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    const c1 = c == 0xc2 && i + 1 < len && load<u8>(ptr + i + 1) >= 0x80 && load<u8>(ptr + i + 1) <= 0x9f;
    if (c >= 0x20 && c != 0x7f && c != 0x5c && !c1) continue;
    sayBytes(ptr + run, i - run);
    if (c == 0x5c) {
      say("\\\\");
    } else {
      say("\\u00");
      if (c1) i++;
      sayHex(ptr + i, 1);
    }
    run = i + 1;
  }
  sayBytes(ptr + run, len - run);
}

export function parseKaaResponse(req: usize, ptr: usize, len: usize, capacity: usize): DocumentResult {
  clearRequest(req, Cloud.Kaa);
  upgradableFromAt = 0;
  slotBuildsReset();
  if (!checkDocument(text("cmx_ota response"), ptr, len, capacity)) return DocumentResult.Invalid;
  const end = ptr + len;
  documentEnd = end;
  const error = matchSchema(ptr, end, RESPONSE_FIELDS, responseFound);
  if (error != SchemaError.None) {
    schemaProblem(text("cmx_ota response"), error, RESPONSE_FIELDS);
    return DocumentResult.Invalid;
  }
  const statusAt = found(responseFound, STATUS_CODE);
  const statusCode = statusAt != 0 ? parseU32(statusAt, end) : 200;
  if (statusCode < 0) {
    fieldError(text("statusCode"), text("must be a whole number, not "));
    sayToken(statusAt, end);
    return DocumentResult.Invalid;
  }
  if (statusCode >= 400) {
    messageClear();
    say("Kaa answered ");
    sayNumber(statusCode);
    const reasonAt = found(responseFound, REASON);
    const reasonLength = reasonAt != 0 ? decodeStringPrefix(reasonAt, end, reasonText, REASON_CAPACITY) : -1;
    if (reasonLength > 0 || prefixWasCut) {
      say(": ");
      sayEscaped(reasonText, reasonLength);
      if (prefixWasCut) {
        say("... (reasonPhrase cut at ");
        sayNumber(REASON_CAPACITY);
        say(" bytes)");
      }
    }
    return DocumentResult.CloudError;
  }
  const configIdAt = found(responseFound, CONFIG_ID);
  const configAt = found(responseFound, CONFIG);
  if (configIdAt == 0 && configAt == 0) return DocumentResult.UpToDate;
  // The configId comes first so that even a refusal can be answered under it.
  if (configIdAt != 0 && !readVersion(req, configIdAt, end, text("configId"))) return DocumentResult.Invalid;
  if (configIdAt == 0 || configAt == 0) {
    messageClear();
    sayText(configIdAt == 0 ? text("cmx_ota response has \"config\" but no \"configId\"") : text("cmx_ota response has \"configId\" but no \"config\""));
    return DocumentResult.Invalid;
  }
  return readSpecification(req, configAt, end);
}

function readSpecification(req: usize, specAt: usize, end: usize): DocumentResult {
  const error = matchSchema(specAt, end, SPEC_FIELDS, specFound);
  if (error != SchemaError.None) {
    schemaProblem(text("config"), error, SPEC_FIELDS);
    return DocumentResult.Invalid;
  }
  const linkAt = found(specFound, LINK);
  const linksAt = found(specFound, LINKS);
  if ((linkAt == 0) == (linksAt == 0)) {
    fieldError(text("config"), linkAt == 0 ? text("has neither \"link\" nor \"links\"") : text("has both \"link\" and \"links\""));
    return DocumentResult.Invalid;
  }
  if (linkAt != 0 ? !readUrls(req, linkAt, end, text("link")) : !readUrls(req, linksAt, end, text("links"))) return DocumentResult.Invalid;
  setKind(req, fileCount(req) > 1 ? UpdateKind.UrlList : UpdateKind.File);
  const sha256At = found(specFound, SHA256);
  if (sha256At != 0 && !readPerFile(req, sha256At, end, text("sha256"), true)) return DocumentResult.Invalid;
  const sizeAt = found(specFound, SIZE);
  if (sizeAt != 0 && !readPerFile(req, sizeAt, end, text("size"), false)) return DocumentResult.Invalid;
  const slotsAt = found(specFound, SLOTS);
  if (slotsAt != 0) {
    if (linkAt == 0) {
      fieldError(text("slots"), text("gives one image per slot, so it goes with \"link\", not \"links\""));
      return DocumentResult.Invalid;
    }
    if (!readSlotBuilds(req, slotsAt, end, true)) return DocumentResult.Invalid;
  }
  upgradableFromAt = found(specFound, UPGRADABLE_FROM);
  if (found(specFound, SIGNATURE) != 0) markSigned(req);
  return DocumentResult.Update;
}
