import { JsonError, validateJson } from "../../assembly/json/validator";
import { JsonType, skipWhitespace, stringEquals, valueEnd } from "../../assembly/json/reader";
import {
  FIELD_REQUIRED, Schema, SchemaError, schemaFieldCount, jsonTypeName, matchSchema, schemaErrorField, schemaErrorText, schemaFoundType,
} from "../../assembly/json/schema";
import { textString } from "./text-string";
import { text } from "../../assembly/text";

// The config_otau shape, allocated once as the agent does.
const CONFIG_OTAU: Schema = memory.data<usize>([
  text("version"), FIELD_REQUIRED | JsonType.String,
  text("name"), FIELD_REQUIRED | JsonType.String,
  text("description"), JsonType.String,
  text("type"), FIELD_REQUIRED | JsonType.String,
  text("payload"), FIELD_REQUIRED | JsonType.String | JsonType.Object | JsonType.Array,
  0,
]);
const VERSION = 0;
const DESCRIPTION = 2;
const TYPE = 3;
const PAYLOAD = 4;

const doc = memory.data(1024);
const found = memory.data(5 * sizeof<usize>()); // one slot per CONFIG_OTAU field
let end: usize = 0;

function match(text: string): SchemaError {
  const length = String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, doc);
  end = doc + length;
  expect(validateJson(doc, length, 16, 1024)).toBe(JsonError.None, "test document must be valid JSON");
  return matchSchema(skipWhitespace(doc, end), end, CONFIG_OTAU, found);
}

function foundAt(field: i32): usize {
  return load<usize>(found + (<usize>field << alignof<usize>()));
}

/** The raw text of the value recorded for a field. */
function foundText(field: i32): string {
  const at = foundAt(field);
  return String.UTF8.decodeUnsafe(at, valueEnd(at, end) - at);
}

describe("matchSchema", () => {
  it("counts the fields of a table up to its 0 key", () => {
    expect(schemaFieldCount(CONFIG_OTAU)).toBe(5);
  });
  it("records each field's value and leaves an absent optional field at 0", () => {
    expect(match("{\"payload\":[\"https://a\"],\"type\":\"URL_LIST\",\"name\":\"n\",\"version\":\"1.0\",\"extra\":{\"x\":1}}"))
      .toBe(SchemaError.None);
    expect(foundText(VERSION)).toBe("\"1.0\"");
    expect(foundText(TYPE)).toBe("\"URL_LIST\"");
    expect(foundText(PAYLOAD)).toBe("[\"https://a\"]");
    expect(foundAt(DESCRIPTION)).toBe(0);
    expect(schemaErrorField()).toBe(-1);
  });
  it("accepts each type a field allows", () => {
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"JSON\",\"payload\":{\"a\":1}}")).toBe(SchemaError.None);
    expect(foundText(PAYLOAD)).toBe("{\"a\":1}");
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"https://x\"}")).toBe(SchemaError.None);
  });
  it("matches keys written with escapes", () => {
    expect(match("{\"\\u0076ersion\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\"}")).toBe(SchemaError.None);
    expect(stringEquals(foundAt(VERSION), end, text("1"))).toBe(true);
  });
  it("ignores unknown keys, even repeated ones", () => {
    expect(match("{\"x\":1,\"x\":2,\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\"}")).toBe(SchemaError.None);
  });
  it("reports the first missing required field (MissingField)", () => {
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"payload\":\"u\"}")).toBe(SchemaError.MissingField);
    expect(schemaErrorField()).toBe(TYPE);
    expect(schemaFoundType()).toBe(JsonType.None);
  });
  it("reports a field of the wrong type with the type found (WrongType)", () => {
    expect(match("{\"version\":12,\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\"}")).toBe(SchemaError.WrongType);
    expect(schemaErrorField()).toBe(VERSION);
    expect(schemaFoundType()).toBe(JsonType.Number);
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":null}")).toBe(SchemaError.WrongType);
    expect(schemaErrorField()).toBe(PAYLOAD);
    expect(schemaFoundType()).toBe(JsonType.Null);
  });
  it("refuses a known key given twice (DuplicateField)", () => {
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\",\"version\":\"2\"}"))
      .toBe(SchemaError.DuplicateField);
    expect(schemaErrorField()).toBe(VERSION);
  });
  it("refuses a document that is not an object (NotAnObject)", () => {
    expect(match("[{\"version\":\"1\"}]")).toBe(SchemaError.NotAnObject);
    expect(schemaFoundType()).toBe(JsonType.Array);
    expect(match("\"version\"")).toBe(SchemaError.NotAnObject);
    expect(schemaFoundType()).toBe(JsonType.String);
  });
  it("clears values recorded by an earlier match", () => {
    match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\",\"description\":\"d\"}");
    expect(foundAt(DESCRIPTION)).not.toBe(0);
    expect(match("{\"version\":\"1\",\"name\":\"n\",\"type\":\"FILE\",\"payload\":\"u\"}")).toBe(SchemaError.None);
    expect(foundAt(DESCRIPTION)).toBe(0);
  });
  it("reports every required field of an empty object as missing, the first one first", () => {
    expect(match("{}")).toBe(SchemaError.MissingField);
    expect(schemaErrorField()).toBe(VERSION);
  });
});

describe("schema names", () => {
  it("names each JSON type", () => {
    expect(textString(jsonTypeName(JsonType.String))).toBe("string");
    expect(textString(jsonTypeName(JsonType.Number))).toBe("number");
    expect(textString(jsonTypeName(JsonType.Object))).toBe("object");
    expect(textString(jsonTypeName(JsonType.Array))).toBe("array");
    expect(textString(jsonTypeName(JsonType.Boolean))).toBe("boolean");
    expect(textString(jsonTypeName(JsonType.Null))).toBe("null");
    expect(textString(jsonTypeName(JsonType.None))).toBe("nothing");
    expect(textString(jsonTypeName(<JsonType>(JsonType.String | JsonType.Array)))).toBe("mixed types");
  });
  it("describes each schema error with its own text, none of them the unknown-error fallback", () => {
    const unknown = textString(schemaErrorText(<SchemaError>99));
    for (let error = SchemaError.None; error <= SchemaError.NotAnObject; error++) {
      const text = textString(schemaErrorText(error));
      expect(text).not.toBe(unknown, "error " + error.toString() + " falls back to the unknown text");
      for (let other = SchemaError.None; other < error; other++) expect(text).not.toBe(textString(schemaErrorText(other)));
    }
  });
});
