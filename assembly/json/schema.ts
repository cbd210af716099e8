// A document's expected shape as data: a table of fields (key, required, accepted
// JSON types) matched against an object's members, recording where each value is.
// The table is allocated once by its owner; matching allocates nothing.
import { JsonType, firstMember, memberValue, nextMember, stringEquals, valueType } from "./reader";

export class Field {
  constructor(readonly key: string, readonly required: bool, readonly types: u32 /* JsonType mask */) {}
}

export const enum SchemaError { None = 0, MissingField = 1, WrongType = 2, DuplicateField = 3, NotAnObject = 4 }

let errorField: i32 = -1;
let foundType: JsonType = JsonType.None;

/** Matches the members of the object at objectAt against fields (a schema table, allocated ONCE at start-up by the caller,
 *  e.g. a module-level StaticArray<Field>): records each field's value address into `found` (a static array of usize
 *  with fields.length entries; 0 = absent). Unknown keys are ignored. Returns the first error; schemaErrorField() is the
 *  index of the field concerned and schemaFoundType() the JsonType actually found (for WrongType). */
export function matchSchema(objectAt: usize, end: usize, fields: StaticArray<Field>, found: usize): SchemaError {
  errorField = -1;
  foundType = JsonType.None;
  const count = fields.length;
  memory.fill(found, 0, <usize>count << alignof<usize>());
  const type = valueType(objectAt);
  if (type != JsonType.Object) {
    foundType = type;
    return SchemaError.NotAnObject;
  }
  for (let key = firstMember(objectAt, end); key != 0; key = nextMember(key, end)) {
    for (let i = 0; i < count; i++) {
      const field = unchecked(fields[i]);
      if (!stringEquals(key, end, field.key)) continue;
      const slot = found + (<usize>i << alignof<usize>());
      const value = memberValue(key, end);
      const valueIs = valueType(value);
      // A repeated key is refused: which of the two a reader would take differs between parsers.
      if (load<usize>(slot) != 0) return fieldError(SchemaError.DuplicateField, i, valueIs);
      if ((<u32>valueIs & field.types) == 0) return fieldError(SchemaError.WrongType, i, valueIs);
      store<usize>(slot, value);
      break;
    }
  }
  for (let i = 0; i < count; i++) {
    if (unchecked(fields[i]).required && load<usize>(found + (<usize>i << alignof<usize>())) == 0) {
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
export function jsonTypeName(type: JsonType): string {
  switch (type) {
    case JsonType.None: return "nothing";
    case JsonType.String: return "string";
    case JsonType.Number: return "number";
    case JsonType.Object: return "object";
    case JsonType.Array: return "array";
    case JsonType.Boolean: return "boolean";
    case JsonType.Null: return "null";
  }
  return "mixed types";
}

/** A constant description of a SchemaError. */
export function schemaErrorText(error: SchemaError): string {
  switch (error) {
    case SchemaError.None: return "matches the schema";
    case SchemaError.MissingField: return "required field missing";
    case SchemaError.WrongType: return "field has the wrong JSON type";
    case SchemaError.DuplicateField: return "field appears twice";
    case SchemaError.NotAnObject: return "document is not a JSON object";
  }
  return "unknown schema error";
}

function fieldError(error: SchemaError, field: i32, type: JsonType): SchemaError {
  errorField = field;
  foundType = type;
  return error;
}
