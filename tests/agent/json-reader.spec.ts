import { JsonError, validateJson } from "../../assembly/json/validator";
import {
  JsonType, booleanValue, decodeString, decodeStringPrefix, firstElement, prefixWasCut, firstMember, memberValue, nextElement, nextMember, parseU32,
  skipWhitespace, stringEquals, valueEnd, valueType,
} from "../../assembly/json/reader";
import { text } from "../../assembly/text";

const doc = memory.data(4096);
const out = memory.data(64);
let end: usize = 0;

/** Loads and validates a document; returns the address of its root value. */
function loadDocument(text: string): usize {
  const length = String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, doc);
  end = doc + length;
  expect(validateJson(doc, length, 16, 4096)).toBe(JsonError.None, "test document must be valid JSON");
  return skipWhitespace(doc, end);
}

/** The bytes [from, to) as text. */
function slice(from: usize, to: usize): string {
  return String.UTF8.decodeUnsafe(from, to - from);
}

function hex(ptr: usize, len: i32): string {
  let text = "";
  for (let i = 0; i < len; i++) {
    const b = load<u8>(ptr + <usize>i);
    text += "0123456789abcdef".charAt(b >> 4) + "0123456789abcdef".charAt(b & 15);
  }
  return text;
}

/** The keys of the object at `at`, comma-separated, through firstMember/nextMember. */
function keys(at: usize): string {
  let text = "";
  for (let key = firstMember(at, end); key != 0; key = nextMember(key, end)) {
    text += (text.length > 0 ? "," : "") + slice(key, valueEnd(key, end));
  }
  return text;
}

function elements(at: usize): string {
  let text = "";
  for (let element = firstElement(at, end); element != 0; element = nextElement(element, end)) {
    text += (text.length > 0 ? "|" : "") + slice(element, valueEnd(element, end));
  }
  return text;
}

describe("reader: skipWhitespace and valueType", () => {
  it("skips exactly JSON whitespace and stops at end", () => {
    const root = loadDocument(" \t\r\n 1");
    expect(root).toBe(doc + 5);
    expect(skipWhitespace(doc, doc + 3)).toBe(doc + 3);
  });
  it("names the type of each kind of value", () => {
    const root = loadDocument("[\"s\", -1, 2, {}, [], true, false, null]");
    expect(valueType(root)).toBe(JsonType.Array);
    let e = firstElement(root, end);
    expect(valueType(e)).toBe(JsonType.String);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Number);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Number);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Object);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Array);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Boolean);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Boolean);
    e = nextElement(e, end);
    expect(valueType(e)).toBe(JsonType.Null);
    expect(nextElement(e, end)).toBe(0);
  });
  it("gives None for address 0 (no value)", () => {
    expect(valueType(0)).toBe(JsonType.None);
  });
});

describe("reader: valueEnd", () => {
  it("ends each scalar just after it", () => {
    const root = loadDocument("[\"a\\\"b\",-12.5e+3,true,false,null]");
    expect(elements(root)).toBe("\"a\\\"b\"|-12.5e+3|true|false|null");
  });
  it("skips nested containers and brackets or quotes inside strings", () => {
    const root = loadDocument("{\"a\":[{\"]\":\"}\\\"[\"},[[]]],\"b\":1} ");
    expect(valueEnd(root, end)).toBe(end - 1);
    expect(slice(memberValue(firstMember(root, end), end), valueEnd(memberValue(firstMember(root, end), end), end)))
      .toBe("[{\"]\":\"}\\\"[\"},[[]]]");
  });
  it("never goes past end, even on a cut document", () => {
    loadDocument("[[1,2],\"abc\"]");
    expect(valueEnd(doc, doc + 5)).toBe(doc + 5);
    expect(valueEnd(doc + 7, doc + 9)).toBe(doc + 9);
    expect(valueEnd(0, end)).toBe(0);
  });
});

describe("reader: objects", () => {
  it("iterates the members in order", () => {
    const root = loadDocument("{ \"version\" : \"1.0\" , \"size\":42,\"nested\":{\"x\":[1,{\"y\":2}]},\"last\":null }");
    expect(keys(root)).toBe("\"version\",\"size\",\"nested\",\"last\"");
  });
  it("finds each member's value after the colon and whitespace", () => {
    const root = loadDocument("{\"a\" :\n 7,\"b\":\"x\"}");
    const a = firstMember(root, end);
    expect(slice(memberValue(a, end), valueEnd(memberValue(a, end), end))).toBe("7");
    const b = nextMember(a, end);
    expect(slice(memberValue(b, end), valueEnd(memberValue(b, end), end))).toBe("\"x\"");
  });
  it("returns 0 for an empty object and for a value that is not an object", () => {
    const root = loadDocument("[{ }, [1], 0]");
    const empty = firstElement(root, end);
    expect(firstMember(empty, end)).toBe(0);
    expect(firstMember(nextElement(empty, end), end)).toBe(0);
    expect(firstMember(0, end)).toBe(0);
    expect(memberValue(0, end)).toBe(0);
    expect(nextMember(0, end)).toBe(0);
  });
});

describe("reader: arrays", () => {
  it("iterates the elements in order, skipping nested ones", () => {
    const root = loadDocument("[ 1 , [2, 3], {\"a\":[4]} ,\"5\" ]");
    expect(elements(root)).toBe("1|[2, 3]|{\"a\":[4]}|\"5\"");
  });
  it("returns 0 for an empty array and for a value that is not an array", () => {
    const root = loadDocument("{\"a\":[ ],\"b\":{}}");
    const a = memberValue(firstMember(root, end), end);
    expect(firstElement(a, end)).toBe(0);
    expect(firstElement(root, end)).toBe(0);
    expect(firstElement(0, end)).toBe(0);
    expect(nextElement(0, end)).toBe(0);
  });
});

describe("reader: stringEquals", () => {
  it("matches a key exactly, not a prefix or an extension", () => {
    const root = loadDocument("[\"version\",\"versions\",\"versio\",\"\"]");
    const exact = firstElement(root, end);
    expect(stringEquals(exact, end, text("version"))).toBe(true);
    expect(stringEquals(nextElement(exact, end), end, text("version"))).toBe(false);
    expect(stringEquals(nextElement(nextElement(exact, end), end), end, text("version"))).toBe(false);
    expect(stringEquals(nextElement(nextElement(nextElement(exact, end), end), end), end, text(""))).toBe(true);
  });
  it("decodes escapes before comparing", () => {
    const root = loadDocument("[\"\\u0076er\\u0073ion\",\"a\\/b\\n\",\"\\uD834\\uDD1E\",\"\u00e9\"]");
    const first = firstElement(root, end);
    expect(stringEquals(first, end, text("version"))).toBe(true);
    expect(stringEquals(nextElement(first, end), end, text("a/b\n"))).toBe(true);
    expect(stringEquals(nextElement(nextElement(first, end), end), end, text("\u{1D11E}"))).toBe(true);
    expect(stringEquals(nextElement(nextElement(nextElement(first, end), end), end), end, text("\u00e9"))).toBe(true);
    expect(stringEquals(nextElement(nextElement(nextElement(first, end), end), end), end, text("e"))).toBe(false);
  });
  it("is false for a value that is not a string", () => {
    const root = loadDocument("[1]");
    expect(stringEquals(root, end, text("[1]"))).toBe(false);
    expect(stringEquals(firstElement(root, end), end, text("1"))).toBe(false);
    expect(stringEquals(0, end, text(""))).toBe(false);
  });
});

describe("reader: decodeString", () => {
  it("unescapes every escape into UTF-8", () => {
    const root = loadDocument("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\uD834\\uDD1E\"");
    const length = decodeString(root, end, out, 64);
    expect(hex(out, length)).toBe("225c2f080c0a0d0941c3a9e282acf09d849e");
  });
  it("copies raw UTF-8 as it is", () => {
    const root = loadDocument("\"\u00e9\u20ac\u{1D11E}\"");
    const length = decodeString(root, end, out, 64);
    expect(hex(out, length)).toBe("c3a9e282acf09d849e");
  });
  it("fills the buffer exactly", () => {
    const root = loadDocument("\"abc\\u00e9\"");
    expect(decodeString(root, end, out, 5)).toBe(5);
    expect(hex(out, 5)).toBe("616263c3a9");
  });
  it("decodeStringPrefix gives the whole characters that fit and says it cut, raw or escaped", () => {
    let root = loadDocument("\"ab\u00e9\u00e9\"");
    expect(decodeStringPrefix(root, end, out, 5)).toBe(4, "an escaped 2-byte character does not fit in 1 byte");
    expect(prefixWasCut).toBe(true);
    root = loadDocument("\"abéé\"");
    expect(decodeStringPrefix(root, end, out, 5)).toBe(4, "a raw 2-byte character is not split");
    expect(hex(out, 4)).toBe("6162c3a9");
    expect(prefixWasCut).toBe(true);
    expect(decodeStringPrefix(root, end, out, 6)).toBe(6);
    expect(prefixWasCut).toBe(false);
  });
  it("returns -1 when it does not fit, writing nothing beyond cap", () => {
    const root = loadDocument("\"abc\\u00e9\"");
    memory.fill(out, 0xEE, 8);
    expect(decodeString(root, end, out, 4)).toBe(-1);
    expect(load<u8>(out + 4)).toBe(0xEE);
    memory.fill(out, 0xEE, 8);
    expect(decodeString(root, end, out, 2)).toBe(-1);
    expect(load<u8>(out + 2)).toBe(0xEE);
    expect(decodeString(root, end, out, 0)).toBe(-1);
  });
  it("decodes the empty string to 0 bytes", () => {
    expect(decodeString(loadDocument("\"\""), end, out, 0)).toBe(0);
  });
  it("returns -2 when no string starts there", () => {
    expect(decodeString(loadDocument("[\"a\"]"), end, out, 64)).toBe(-2);
    expect(decodeString(0, end, out, 64)).toBe(-2);
  });
});

describe("reader: parseU32", () => {
  it("reads integers from 0 to 4294967295", () => {
    const root = loadDocument("[0, 7, 1048576, 4294967295]");
    let e = firstElement(root, end);
    expect(parseU32(e, end)).toBe(0);
    e = nextElement(e, end);
    expect(parseU32(e, end)).toBe(7);
    e = nextElement(e, end);
    expect(parseU32(e, end)).toBe(1048576);
    e = nextElement(e, end);
    expect(parseU32(e, end)).toBe(4294967295);
  });
  it("refuses what is not a u32: too large, negative, fractional, exponent, not a number", () => {
    const root = loadDocument("[4294967296, 99999999999999999999, -1, -0, 1.0, 1e3, 10E0, \"5\", true]");
    for (let e = firstElement(root, end); e != 0; e = nextElement(e, end)) {
      expect(parseU32(e, end)).toBe(-1, slice(e, valueEnd(e, end)));
    }
    expect(parseU32(0, end)).toBe(-1);
  });
  it("reads a number at the very end of the document", () => {
    expect(parseU32(loadDocument("123"), end)).toBe(123);
    expect(parseU32(doc, doc + 2)).toBe(12);
  });
});

describe("reader: booleanValue", () => {
  it("is true only for true", () => {
    const root = loadDocument("[true, false, null]");
    const t = firstElement(root, end);
    expect(booleanValue(t)).toBe(true);
    expect(booleanValue(nextElement(t, end))).toBe(false);
    expect(booleanValue(nextElement(nextElement(t, end), end))).toBe(false);
    expect(booleanValue(0)).toBe(false);
  });
});
