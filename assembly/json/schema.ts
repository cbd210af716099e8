// A document's expected shape as data: a table of fields (key, required, accepted
// JSON types) matched against an object's members, recording where each value is.
// The table is static data of its owner; matching allocates nothing.
import { JsonType, firstMember, memberValue, nextMember, stringEquals, valueType } from "./reader";
import { Text, text } from "../text";

/**
 * A schema table, static data: for each field its key (a text constant) and its spec (the
 * JsonType mask it accepts, plus FIELD_REQUIRED), ended by a 0 key. Written as
 * `memory.data<usize>([text("version"), FIELD_REQUIRED | JsonType.String, …, 0])`.
 */
export type Schema = usize;
export const FIELD_REQUIRED: usize = 0x80000000;
const ENTRY_SIZE: usize = 2 * sizeof<usize>();

export function schemaFieldKey(schema: Schema, field: i32): Text {
  return load<usize>(schema + <usize>field * ENTRY_SIZE);
}

/** The JsonType mask the field accepts. */
export function schemaFieldTypes(schema: Schema, field: i32): u32 {
  return <u32>(load<usize>(schema + <usize>field * ENTRY_SIZE + sizeof<usize>()) & ~FIELD_REQUIRED);
}

function fieldRequired(schema: Schema, field: i32): bool {
  return (load<usize>(schema + <usize>field * ENTRY_SIZE + sizeof<usize>()) & FIELD_REQUIRED) != 0;
}

export function schemaFieldCount(schema: Schema): i32 {
  let count = 0;
  while (schemaFieldKey(schema, count) != 0) count++;
  return count;
}

export const enum SchemaError { None = 0, MissingField = 1, WrongType = 2, DuplicateField = 3, NotAnObject = 4 }

let errorField: i32 = -1;
let foundType: JsonType = JsonType.None;

/** Matches the members of the object at objectAt against a schema table: records each field's value address into
 *  `found` (a static array of usize with one entry per field; 0 = absent). Unknown keys are ignored. Returns the first error; schemaErrorField() is the
 *  index of the field concerned and schemaFoundType() the JsonType actually found (for WrongType). */
export function matchSchema(objectAt: usize, end: usize, schema: Schema, found: usize): SchemaError {
  errorField = -1;
  foundType = JsonType.None;
  const count = schemaFieldCount(schema);
  memory.fill(found, 0, <usize>count << alignof<usize>());
  const type = valueType(objectAt);
  if (type != JsonType.Object) {
    foundType = type;
    return SchemaError.NotAnObject;
  }
  for (let key = firstMember(objectAt, end); key != 0; key = nextMember(key, end)) {
    for (let i = 0; i < count; i++) {
      if (!stringEquals(key, end, schemaFieldKey(schema, i))) continue;
      const slot = found + (<usize>i << alignof<usize>());
      const value = memberValue(key, end);
      const valueIs = valueType(value);
      // A repeated key is refused: which of the two a reader would take differs between parsers.
      if (load<usize>(slot) != 0) return fieldError(SchemaError.DuplicateField, i, valueIs);
      if ((<u32>valueIs & schemaFieldTypes(schema, i)) == 0) return fieldError(SchemaError.WrongType, i, valueIs);
      store<usize>(slot, value);
      break;
    }
  }
  for (let i = 0; i < count; i++) {
    if (fieldRequired(schema, i) && load<usize>(found + (<usize>i << alignof<usize>())) == 0) {
      return fieldError(SchemaError.MissingField, i, JsonType.None);
    }
  }
  return SchemaError.None;
}

/** The index in the schema table of the field the last matchSchema error concerns, or -1. */
export function schemaErrorField(): i32 {
  return errorField;
}

/** The JsonType the last matchSchema found where it failed (the field's value for WrongType, the document for NotAnObject). */
export function schemaFoundType(): JsonType {
  return foundType;
}

/** "string", "number", "object", "array", "boolean", "null"; "nothing" for None and "mixed types" for a mask of several. */
export function jsonTypeName(type: JsonType): Text {
  switch (type) {
    case JsonType.None: return text("nothing");
    case JsonType.String: return text("string");
    case JsonType.Number: return text("number");
    case JsonType.Object: return text("object");
    case JsonType.Array: return text("array");
    case JsonType.Boolean: return text("boolean");
    case JsonType.Null: return text("null");
  }
  return text("mixed types");
}

/** A constant description of a SchemaError. */
export function schemaErrorText(error: SchemaError): Text {
  switch (error) {
    case SchemaError.None: return text("matches the schema");
    case SchemaError.MissingField: return text("required field missing");
    case SchemaError.WrongType: return text("field has the wrong JSON type");
    case SchemaError.DuplicateField: return text("field appears twice");
    case SchemaError.NotAnObject: return text("document is not a JSON object");
  }
  return text("unknown schema error");
}

function fieldError(error: SchemaError, field: i32, type: JsonType): SchemaError {
  errorField = field;
  foundType = type;
  return error;
}
