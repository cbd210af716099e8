import { JSON_DEPTH_CAP, JsonError, jsonErrorOffset, jsonErrorText, validateJson } from "../../assembly/json/validator";
import { textString } from "./text-string";

const doc = memory.data(8192);
const LIMIT: usize = 4096;

/** Writes `text` as UTF-8 at `doc`; returns its byte length. */
function put(text: string): usize {
  return String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, doc);
}

function check(text: string, maxDepth: i32 = 16): JsonError {
  return validateJson(doc, put(text), maxDepth, LIMIT);
}

/** "<error text> at <offset>" for the text, to check both at once. */
function failure(text: string): string {
  const error = check(text);
  return textString(jsonErrorText(error)) + " at " + jsonErrorOffset().toString();
}

/** n nested arrays around 0. */
function nested(n: i32): string {
  return "[".repeat(n) + "0" + "]".repeat(n);
}

describe("validateJson accepts", () => {
  it("each kind of value at the top level", () => {
    expect(check("{}")).toBe(JsonError.None);
    expect(check("[]")).toBe(JsonError.None);
    expect(check("\"text\"")).toBe(JsonError.None);
    expect(check("-12.5e+3")).toBe(JsonError.None);
    expect(check("0")).toBe(JsonError.None);
    expect(check("true")).toBe(JsonError.None);
    expect(check("false")).toBe(JsonError.None);
    expect(check("null")).toBe(JsonError.None);
  });
  it("whitespace (space, tab, CR, LF) around and between tokens", () => {
    expect(check(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] , \"b\":{ } }\r\n ")).toBe(JsonError.None);
  });
  it("a Murano config_otau document", () => {
    expect(check("{\"version\":\"2.0.5-stable\",\"name\":\"Gateway\",\"type\":\"URL_LIST\",\"payload\":[\"https://a/b\",\"https://c/d\"]}"))
      .toBe(JsonError.None);
  });
  it("every escape, and surrogate pairs in either case of hex", () => {
    expect(check("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\uD834\\uDD1E \\ud834\\udd1e\"")).toBe(JsonError.None);
  });
  it("numbers in every RFC 8259 form", () => {
    expect(check("[0, -0, 1, -1, 10, 0.5, -0.5, 1e5, 1E5, 1e+5, 1e-5, 1.5e10, 123456789012345678901234567890]")).toBe(JsonError.None);
  });
  it("nesting exactly at maxDepth", () => {
    expect(check(nested(16), 16)).toBe(JsonError.None);
    expect(check("{\"a\":{\"b\":[{}]}}", 4)).toBe(JsonError.None);
  });
  it("500 nested arrays when maxDepth allows (JSONTestSuite's i_structure_500_nested_arrays)", () => {
    expect(check(nested(500), 500)).toBe(JsonError.None);
  });
  it("a document of exactly maxLength bytes", () => {
    expect(validateJson(doc, put("[1,2]"), 4, 5)).toBe(JsonError.None);
  });
  it("only bytes [ptr, ptr+len): what follows len is not read", () => {
    const length = put("[1]]]garbage");
    expect(validateJson(doc, 3, 4, LIMIT)).toBe(JsonError.None);
    expect(validateJson(doc, length, 4, LIMIT)).toBe(JsonError.TrailingData);
  });
});

describe("validateJson rejects, naming the error and its offset", () => {
  it("an empty or blank document (Empty)", () => {
    expect(validateJson(doc, 0, 4, LIMIT)).toBe(JsonError.Empty);
    expect(failure(" \n\t ")).toBe("empty document at 4");
  });
  it("a document cut short (Truncated, at the end)", () => {
    expect(failure("{\"a\":[1,2")).toBe("document ends inside a value at 9");
    expect(failure("[")).toBe("document ends inside a value at 1");
    expect(failure("{\"a\"")).toBe("document ends inside a value at 4");
    expect(failure("\"abc")).toBe("document ends inside a value at 4");
    expect(failure("[\"\\u12")).toBe("document ends inside a value at 6");
    expect(failure("tru")).toBe("document ends inside a value at 3");
    expect(failure("-")).toBe("document ends inside a value at 1");
    expect(failure("[1e")).toBe("document ends inside a value at 3");
  });
  it("every prefix of a document, without reading past it", () => {
    const text = "{\"k\":[true,null,-1.5e3,\"\\u00e9\\uD834\\uDD1E\"],\"o\":{}}";
    const length = put(text);
    for (let cut: usize = 0; cut < length; cut++) {
      const error = validateJson(doc, cut, 8, LIMIT);
      expect(error == JsonError.Truncated || error == JsonError.Empty).toBe(true, "prefix of " + cut.toString() + " bytes");
    }
    expect(validateJson(doc, length, 8, LIMIT)).toBe(JsonError.None);
  });
  it("a misplaced character (UnexpectedCharacter)", () => {
    expect(failure("[1,]")).toBe("unexpected character at 3");
    expect(failure("{\"a\":1,}")).toBe("unexpected character at 7");
    expect(failure("{\"a\" 1}")).toBe("unexpected character at 5");
    expect(failure("{a:1}")).toBe("unexpected character at 1");
    expect(failure("[1 2]")).toBe("unexpected character at 3");
    expect(failure("[1}")).toBe("unexpected character at 2");
    expect(failure("{\"a\":1]")).toBe("unexpected character at 6");
    expect(failure("'a'")).toBe("unexpected character at 0");
    expect(failure("trUe")).toBe("unexpected character at 2");
    expect(failure("[.5]")).toBe("unexpected character at 1");
    expect(failure("[\f]")).toBe("unexpected character at 1");
    expect(failure("\u00A0[]")).toBe("unexpected character at 0");
  });
  it("an invalid escape (BadEscape, at its backslash)", () => {
    expect(failure("[\"a\\x\"]")).toBe("invalid escape in a string at 3");
    expect(failure("[\"\\u12G4\"]")).toBe("invalid escape in a string at 2");
    expect(failure("[\"\\U0041\"]")).toBe("invalid escape in a string at 2");
    expect(failure("[\"\\'\"]")).toBe("invalid escape in a string at 2");
  });
  it("a control character inside a string (ControlCharacter)", () => {
    expect(failure("[\"a\tb\"]")).toBe("unescaped control character in a string at 3");
    expect(failure("[\"a\nb\"]")).toBe("unescaped control character in a string at 3");
  });
  it("a malformed number (BadNumber)", () => {
    expect(failure("[01]")).toBe("malformed number at 2");
    expect(failure("[-01]")).toBe("malformed number at 3");
    expect(failure("[1.]")).toBe("malformed number at 3");
    expect(failure("[1.e5]")).toBe("malformed number at 3");
    expect(failure("[1e]")).toBe("malformed number at 3");
    expect(failure("[1e+]")).toBe("malformed number at 4");
    expect(failure("[-]")).toBe("malformed number at 2");
    expect(failure("[1.2.3]")).toBe("malformed number at 4");
    expect(failure("[0x1F]")).toBe("malformed number at 2");
    expect(failure("[-Infinity]")).toBe("malformed number at 2");
    expect(failure("[2x]")).toBe("malformed number at 2");
  });
  it("nesting deeper than maxDepth (TooDeep, at the bracket that opens one level too many)", () => {
    expect(check(nested(17), 16)).toBe(JsonError.TooDeep);
    expect(jsonErrorOffset()).toBe(16);
    expect(check("{\"a\":{\"b\":[{}]}}", 3)).toBe(JsonError.TooDeep);
    expect(jsonErrorOffset()).toBe(11);
    expect(check("[]", 0)).toBe(JsonError.TooDeep);
    expect(check("1", 0)).toBe(JsonError.None);
  });
  it("nesting beyond JSON_DEPTH_CAP even when maxDepth is larger", () => {
    const deep = memory.data(JSON_DEPTH_CAP + 1);
    memory.fill(deep, 0x5B, <usize>JSON_DEPTH_CAP + 1);
    expect(validateJson(deep, <usize>JSON_DEPTH_CAP + 1, i32.MAX_VALUE, LIMIT)).toBe(JsonError.TooDeep);
    expect(jsonErrorOffset()).toBe(<usize>JSON_DEPTH_CAP);
  });
  it("100000 opening brackets without reading past them", () => {
    const brackets = memory.data(100000);
    memory.fill(brackets, 0x5B, 100000);
    expect(validateJson(brackets, 100000, 16, 100000)).toBe(JsonError.TooDeep);
  });
  it("a document longer than maxLength (TooLarge, at maxLength) before reading it", () => {
    expect(validateJson(doc, put("[1,2]"), 4, 4)).toBe(JsonError.TooLarge);
    expect(jsonErrorOffset()).toBe(4);
  });
  it("anything after the value (TrailingData)", () => {
    expect(failure("{} {}")).toBe("data after the JSON value at 3");
    expect(failure("[1]x")).toBe("data after the JSON value at 3");
    expect(failure("1 2")).toBe("data after the JSON value at 2");
  });
  it("invalid UTF-8 (BadUtf8, at the start of the sequence)", () => {
    store<u8>(doc, 0x5B);
    store<u8>(doc + 1, 0x22);
    store<u8>(doc + 2, 0x41);
    store<u8>(doc + 3, 0xC0);
    store<u8>(doc + 4, 0xAF);
    store<u8>(doc + 5, 0x22);
    store<u8>(doc + 6, 0x5D);
    expect(validateJson(doc, 7, 4, LIMIT)).toBe(JsonError.BadUtf8);
    expect(jsonErrorOffset()).toBe(3);
    expect(textString(jsonErrorText(JsonError.BadUtf8))).toBe("invalid UTF-8");
  });
  it("unpaired surrogate escapes (LoneSurrogate, at the escape)", () => {
    expect(failure("[\"\\uD800\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
    expect(failure("[\"ab\\uDC00\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 4");
    expect(failure("[\"\\uD800\\u0041\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
    expect(failure("[\"\\uD800\\n\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
    expect(failure("[\"\\uD800x\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
    expect(failure("[\"\\uDD1E\\uD834\"]")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
    expect(failure("{\"\\uDFAA\":0}")).toBe("unpaired UTF-16 surrogate in a \\u escape at 2");
  });
  it("a high surrogate whose low escape is malformed or cut (BadEscape, Truncated)", () => {
    expect(failure("[\"\\uD800\\uDCxx\"]")).toBe("invalid escape in a string at 8");
    expect(failure("\"\\uD800\\")).toBe("document ends inside a value at 8");
  });
});

describe("validateJson's error reporting", () => {
  it("resets the offset on success", () => {
    check("[1,]");
    expect(check("  [1]")).toBe(JsonError.None);
    expect(jsonErrorOffset()).toBe(0);
  });
  it("names every error kind with its own text, none of them the unknown-error fallback", () => {
    const unknown = textString(jsonErrorText(<JsonError>99));
    for (let kind = JsonError.None; kind <= JsonError.LoneSurrogate; kind++) {
      const text = textString(jsonErrorText(kind));
      expect(text).not.toBe(unknown, "error " + kind.toString() + " falls back to the unknown text");
      for (let other = JsonError.None; other < kind; other++) expect(text).not.toBe(textString(jsonErrorText(other)));
    }
  });
});
