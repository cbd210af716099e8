// The gate every untrusted document passes first: size, then the strict validator.
// Nothing reaches a field reader unless the whole text is well-formed JSON.
import { JsonError, jsonErrorOffset, jsonErrorText, validateJson } from "../json/validator";
import { Schema, SchemaError, jsonTypeName, schemaErrorField, schemaFieldKey, schemaFieldTypes, schemaFoundType } from "../json/schema";
import { messageClear, say, sayNumber, sayText } from "../message";
import { Text } from "../text";

/** Nesting deeper than this is refused: no document of either cloud needs more. */
export const MAX_DEPTH: i32 = 16;

export const enum DocumentResult {
  /** The candidate request holds an update to consider. */
  Update = 0,
  /** The cloud says the device is up to date (Kaa `{}`). */
  UpToDate = 1,
  /** Refused: the message says why. */
  Invalid = 2,
  /** The cloud answered with an error (Kaa statusCode ≥ 400): the message says which. */
  CloudError = 3,
}

/** Checks size and JSON well-formedness of `what`; on failure the message names the problem. */
export function checkDocument(what: Text, ptr: usize, len: usize, capacity: usize): bool {
  if (len > capacity) {
    messageClear();
    sayText(what);
    say(" is ");
    sayNumber(len);
    say(" bytes; the limit is ");
    sayNumber(capacity);
    return false;
  }
  const error = validateJson(ptr, len, MAX_DEPTH, capacity);
  if (error == JsonError.None) return true;
  messageClear();
  sayText(what);
  say(" is not valid JSON: ");
  sayText(jsonErrorText(error));
  say(" at byte ");
  sayNumber(jsonErrorOffset());
  return false;
}

/** Describes a schema mismatch of `what` in the message. */
export function schemaProblem(what: Text, error: SchemaError, schema: Schema): void {
  messageClear();
  sayText(what);
  if (error == SchemaError.NotAnObject) {
    say(" must be a JSON object");
    return;
  }
  const field = schemaErrorField();
  say(": field \"");
  sayText(schemaFieldKey(schema, field));
  if (error == SchemaError.MissingField) {
    say("\" is required");
  } else if (error == SchemaError.DuplicateField) {
    say("\" appears more than once");
  } else {
    say("\" must be ");
    sayTypes(schemaFieldTypes(schema, field));
    say(", not ");
    sayText(jsonTypeName(schemaFoundType()));
  }
}

function sayTypes(types: u32): void {
  let first = true;
  for (let bit: u32 = 1; bit <= 32; bit <<= 1) {
    if ((types & bit) == 0) continue;
    if (!first) say(" or ");
    sayText(jsonTypeName(bit));
    first = false;
  }
}
