// A release with one build per slot (images that run in place, each linked for its slot's
// address): the optional `slots` member of a FILE config_otau or of a Kaa specification,
//
//   "slots": {"A": {"payload": "<url>", "sha256": "<hex>", "size": n}, "B": {…}}
//
// (Kaa: "link" instead of "payload"), beside the ordinary single-file fields, which stay so
// that the document remains what ExoSense and agents without this extension read. The
// device takes the entry of the slot it will write; both entries present are checked, so a
// malformed release is refused on every device alike (docs/protocols.md, "One build per slot").
import { Area } from "../abi";
import { SchemaError, matchSchema, FIELD_REQUIRED, Schema } from "../json/schema";
import { JsonType } from "../json/reader";
import { say } from "../message";
import { schemaProblem } from "./document";
import { fieldError, readPerFile, readUrl } from "./fields";
import { clearFiles } from "./update_request";
import { text } from "../text";

const TABLE_FIELDS: Schema = memory.data<usize>([
  text("A"), JsonType.Object,
  text("B"), JsonType.Object,
  0,
]);
const tableFound = memory.data(2 * sizeof<usize>());

const MURANO_ENTRY: Schema = memory.data<usize>([
  text("payload"), FIELD_REQUIRED | JsonType.String,
  text("sha256"), JsonType.String,
  text("size"), JsonType.Number,
  0,
]);
const KAA_ENTRY: Schema = memory.data<usize>([
  text("link"), FIELD_REQUIRED | JsonType.String,
  text("sha256"), JsonType.String,
  text("size"), JsonType.Number,
  0,
]);
const URL = 0, SHA256 = 1, SIZE = 2;
const entryFound = memory.data(3 * sizeof<usize>());

/** The slot the next update writes (the one not running): whose build a document gives. */
let targetSlot: i32 = Area.SlotB;
/** The slot whose entry the last document's files came from; 0 when it had no `slots`. */
let takenSlot: i32 = 0;

export function setTargetSlot(area: i32): void {
  targetSlot = area;
}

export function slotBuildTaken(): i32 {
  return takenSlot;
}

/** Forgets the last document's choice: a new one is being parsed. */
export function slotBuildsReset(): void {
  takenSlot = 0;
}

function found(table: usize, index: i32): usize {
  return load<usize>(table + (<usize>index) * sizeof<usize>());
}

/**
 * Reads the `slots` object at `at` into `req`, replacing the files the ordinary fields gave
 * with the target slot's build. `kaa`: entries name their URL "link", else "payload".
 * False with the TEST_ERROR message composed.
 */
export function readSlotBuilds(req: usize, at: usize, end: usize, kaa: bool): bool {
  const error = matchSchema(at, end, TABLE_FIELDS, tableFound);
  if (error != SchemaError.None) {
    schemaProblem(text("slots"), error, TABLE_FIELDS);
    return false;
  }
  const targetIsA = targetSlot == Area.SlotA;
  const target = found(tableFound, targetIsA ? 0 : 1);
  const other = found(tableFound, targetIsA ? 1 : 0);
  if (target == 0) {
    fieldError(text("slots"), text("has no build for slot "));
    say(targetIsA ? "A" : "B");
    say(", the slot this device writes next");
    return false;
  }
  // The other build first: the target's values are the ones left in the request.
  if (other != 0 && !readEntry(req, other, end, kaa, !targetIsA)) return false;
  if (!readEntry(req, target, end, kaa, targetIsA)) return false;
  takenSlot = targetSlot;
  return true;
}

function readEntry(req: usize, at: usize, end: usize, kaa: bool, isA: bool): bool {
  clearFiles(req);
  const schema = kaa ? KAA_ENTRY : MURANO_ENTRY;
  const error = matchSchema(at, end, schema, entryFound);
  if (error != SchemaError.None) {
    schemaProblem(isA ? text("slots.A") : text("slots.B"), error, schema);
    return false;
  }
  const urlField = kaa ? (isA ? text("slots.A.link") : text("slots.B.link")) : (isA ? text("slots.A.payload") : text("slots.B.payload"));
  if (!readUrl(req, found(entryFound, URL), end, urlField)) return false;
  const sha256At = found(entryFound, SHA256);
  if (sha256At != 0 && !readPerFile(req, sha256At, end, isA ? text("slots.A.sha256") : text("slots.B.sha256"), true)) return false;
  const sizeAt = found(entryFound, SIZE);
  return sizeAt == 0 || readPerFile(req, sizeAt, end, isA ? text("slots.A.size") : text("slots.B.size"), false);
}
