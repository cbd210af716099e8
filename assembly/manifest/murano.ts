// Exosite Murano / ExoSense documents: `config_otau` (the desired state the cloud
// writes) and the `otau_info` tag of a `package_*` content item, which carries a
// config_otau inside percent-encoded JSON (../../docs/protocols.md).
import { SchemaError, matchSchema, FIELD_REQUIRED, Schema } from "../json/schema";
import { JsonType, stringEquals, valueEnd, valueType } from "../json/reader";
import { percentDecode } from "../json/percent";
import { messageClear, say } from "../message";
import { DocumentResult, checkDocument, schemaProblem } from "./document";
import { fieldError, readPerFile, readUrls, readVersion, sayToken } from "./fields";
import { readSlotBuilds, slotBuildsReset } from "./slot_builds";
import { Cloud, UpdateKind, clearRequest, kindOf, markSigned, setKind } from "./update_request";
import { Text, text } from "../text";

const STRING = JsonType.String;

// config_otau: required fields of the schema, then our integrity extension and the build per
// slot (docs/protocols.md "1. Murano", "One build per slot").
const CONFIG_FIELDS: Schema = memory.data<usize>([
  text("version"), FIELD_REQUIRED | STRING,
  text("name"), FIELD_REQUIRED | STRING,
  text("description"), STRING,
  text("type"), FIELD_REQUIRED | STRING,
  text("payload"), FIELD_REQUIRED | STRING | JsonType.Object | JsonType.Array,
  text("sha256"), STRING | JsonType.Array,
  text("size"), JsonType.Number | JsonType.Array,
  text("signature"), STRING,
  text("keyId"), STRING,
  text("slots"), JsonType.Object,
  0,
]);
const VERSION = 0, NAME = 1, TYPE = 3, PAYLOAD = 4, SHA256 = 5, SIZE = 6, SIGNATURE = 7, SLOTS = 9;
const configFound = memory.data(10 * sizeof<usize>());

const INFO_FIELDS: Schema = memory.data<usize>([
  text("author"), STRING,
  text("vendor"), STRING,
  text("product"), STRING,
  text("config_otau"), FIELD_REQUIRED | JsonType.Object,
  0,
]);
const CONFIG_OTAU = 3;
const infoFound = memory.data(4 * sizeof<usize>());

/** The JSON payload of a `JSON` config: a slice of the document, valid while it is handled. */
export let jsonPayloadAt: usize = 0;
export let jsonPayloadEnd: usize = 0;

function found(table: usize, index: i32): usize {
  return load<usize>(table + (<usize>index) * sizeof<usize>());
}

/** Parses a config_otau document into the request `req`. */
export function parseConfigOtau(req: usize, ptr: usize, len: usize, capacity: usize): DocumentResult {
  clearRequest(req, Cloud.Murano);
  if (!checkDocument(text("config_otau"), ptr, len, capacity)) return DocumentResult.Invalid;
  return readConfigObject(req, ptr, ptr + len, text("config_otau"));
}

/** Parses an `otau_info` tag value (percent-encoded JSON), decoding it in place. */
export function parseOtauInfo(req: usize, ptr: usize, len: usize, capacity: usize): DocumentResult {
  clearRequest(req, Cloud.Murano);
  // Too long for the buffer: left to checkDocument, which names both sizes.
  const decoded = len <= capacity ? percentDecode(ptr, len, ptr, len) : <i32>len;
  if (decoded < 0) {
    messageClear();
    say("otau_info is not valid percent-encoding (a '%' not followed by two hexadecimal digits)");
    return DocumentResult.Invalid;
  }
  if (!checkDocument(text("otau_info"), ptr, decoded, capacity)) return DocumentResult.Invalid;
  const end = ptr + decoded;
  const error = matchSchema(ptr, end, INFO_FIELDS, infoFound);
  if (error != SchemaError.None) {
    schemaProblem(text("otau_info"), error, INFO_FIELDS);
    return DocumentResult.Invalid;
  }
  return readConfigObject(req, found(infoFound, CONFIG_OTAU), end, text("otau_info.config_otau"));
}

function readConfigObject(req: usize, objectAt: usize, end: usize, what: Text): DocumentResult {
  jsonPayloadAt = 0;
  jsonPayloadEnd = 0;
  slotBuildsReset();
  const error = matchSchema(objectAt, end, CONFIG_FIELDS, configFound);
  // The version comes first so that even a refusal can name the config it refuses.
  const versionAt = found(configFound, VERSION);
  if (versionAt != 0 && valueType(versionAt) == JsonType.String && !readVersion(req, versionAt, end, text("version"))) {
    return DocumentResult.Invalid;
  }
  if (error != SchemaError.None) {
    schemaProblem(what, error, CONFIG_FIELDS);
    return DocumentResult.Invalid;
  }

  const typeAt = found(configFound, TYPE);
  const payloadAt = found(configFound, PAYLOAD);
  const payloadType = valueType(payloadAt);
  if (stringEquals(typeAt, end, text("FILE"))) {
    setKind(req, UpdateKind.File);
    if (payloadType != JsonType.String) {
      fieldError(text("payload"), text("of a FILE config must be one URL string"));
      return DocumentResult.Invalid;
    }
    if (!readUrls(req, payloadAt, end, text("payload"))) return DocumentResult.Invalid;
  } else if (stringEquals(typeAt, end, text("URL_LIST")) || stringEquals(typeAt, end, text("URLS"))) {
    setKind(req, UpdateKind.UrlList);
    if (payloadType != JsonType.Array) {
      fieldError(text("payload"), text("of a URL_LIST config must be an array of URL strings"));
      return DocumentResult.Invalid;
    }
    if (!readUrls(req, payloadAt, end, text("payload"))) return DocumentResult.Invalid;
  } else if (stringEquals(typeAt, end, text("JSON"))) {
    setKind(req, UpdateKind.Json);
    if (payloadType != JsonType.Object) {
      fieldError(text("payload"), text("of a JSON config must be a JSON object"));
      return DocumentResult.Invalid;
    }
    jsonPayloadAt = payloadAt;
    jsonPayloadEnd = valueEnd(payloadAt, end);
  } else {
    fieldError(text("type"), text("must be FILE, JSON or URL_LIST, not "));
    sayToken(typeAt, end);
    return DocumentResult.Invalid;
  }

  const sha256At = found(configFound, SHA256);
  if (sha256At != 0 && !readPerFile(req, sha256At, end, text("sha256"), true)) return DocumentResult.Invalid;
  const sizeAt = found(configFound, SIZE);
  if (sizeAt != 0 && !readPerFile(req, sizeAt, end, text("size"), false)) return DocumentResult.Invalid;
  const slotsAt = found(configFound, SLOTS);
  if (slotsAt != 0) {
    if (kindOf(req) != UpdateKind.File) {
      fieldError(text("slots"), text("gives one image per slot, so it goes with a FILE config, not type "));
      sayToken(typeAt, end);
      return DocumentResult.Invalid;
    }
    if (!readSlotBuilds(req, slotsAt, end, false)) return DocumentResult.Invalid;
  }
  if (found(configFound, SIGNATURE) != 0) markSigned(req);
  return DocumentResult.Update;
}
