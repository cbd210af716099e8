// json-as as an oracle for our own reader (assembly/json/): every document our validator accepts
// — JSONTestSuite's and the byte-level cases that must pass, the JSON documents written in the
// tests, and generated ones — is parsed by json-as into a JSON.Value too, and the two readings
// must agree value by value: types, object keys in order, array lengths, decoded strings byte for
// byte, booleans, and numbers (equal where parseU32 reads one; otherwise the sign).
// json-as traps on malformed input and only ever sees documents validateJson accepted. It
// allocates on the stub runtime's heap, which never frees, so the documents are few and small.
// json-as 1.6.0 decodes the escape `\/` as U+0000 (its escape table has no entry for '/'): json-as
// is handed the document with each `\/` written as `/`, which RFC 8259 makes the same string.
import { JSON } from "json-as";
import { JsonError, validateJson } from "../../assembly/json/validator";
import {
  JsonType, booleanValue, decodeString, firstElement, firstMember, memberValue, nextElement, nextMember, parseU32,
  skipWhitespace, valueType,
} from "../../assembly/json/reader";
import { SUITE_BYTES, SUITE_CASES, SUITE_EXPECTED, SUITE_MAX_DEPTH, SUITE_NAMES, SUITE_OFFSETS } from "../../build/generated/json_suite";
import { TEST_DOCUMENTS, TEST_DOCUMENT_BYTES, TEST_DOCUMENT_OFFSETS } from "../../build/generated/test_documents";

const NO_LENGTH_LIMIT: usize = 0xFFFFFFFF;
const TEXT_CAPACITY: usize = 4096;
const ours = memory.data(<i32>TEXT_CAPACITY);
const theirs = memory.data(<i32>TEXT_CAPACITY);

/** The first disagreement found, with the document's name; "" while they agree. */
let disagreement = "";

function disagree(name: string, what: string): bool {
  if (disagreement.length == 0) disagreement = name + ": " + what;
  return false;
}

/** True if the JSON string at `at` decodes (our reader) to the same UTF-8 bytes as `text` (json-as). */
function sameString(at: usize, end: usize, text: string): bool {
  const length = decodeString(at, end, ours, TEXT_CAPACITY);
  const theirLength = String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, theirs);
  return length >= 0 && <usize>length == theirLength && memory.compare(ours, theirs, theirLength) == 0;
}

/** Compares the value at `at` (our reader) with `value` (json-as), recursively. */
function agree(name: string, at: usize, end: usize, value: JSON.Value): bool {
  const type = valueType(at);
  const theirs = value.type;
  if (type == JsonType.Null) return theirs == JSON.Types.Null || disagree(name, "null vs json-as type " + theirs.toString());
  if (type == JsonType.Boolean) {
    if (theirs != JSON.Types.Bool) return disagree(name, "boolean vs json-as type " + theirs.toString());
    return booleanValue(at) == value.get<bool>() || disagree(name, "booleans differ");
  }
  if (type == JsonType.Number) {
    if (theirs != JSON.Types.F64) return disagree(name, "number vs json-as type " + theirs.toString());
    const number = value.get<f64>();
    const integer = parseU32(at, end);
    if (integer >= 0 && <f64>integer != number) return disagree(name, integer.toString() + " vs json-as " + number.toString());
    // Zero (an underflow too) may keep or lose its sign; any other number must keep it.
    return number == 0 || (load<u8>(at) == 0x2D) == (number < 0) || disagree(name, "signs differ: json-as has " + number.toString());
  }
  if (type == JsonType.String) {
    if (theirs != JSON.Types.String) return disagree(name, "string vs json-as type " + theirs.toString());
    return sameString(at, end, value.get<string>()) || disagree(name, "strings differ: json-as has \"" + value.get<string>() + "\"");
  }
  if (type == JsonType.Array) {
    if (theirs != JSON.Types.Array) return disagree(name, "array vs json-as type " + theirs.toString());
    const array = value.get<JSON.Arr>();
    let i = 0;
    for (let element = firstElement(at, end); element != 0; element = nextElement(element, end)) {
      if (i >= array.length) return disagree(name, "json-as has fewer array elements");
      if (!agree(name, element, end, array.at(i++))) return false;
    }
    return i == array.length || disagree(name, "json-as has more array elements");
  }
  if (type == JsonType.Object) {
    if (theirs != JSON.Types.Object) return disagree(name, "object vs json-as type " + theirs.toString());
    const object = value.get<JSON.Obj>();
    const keys = object.keys();
    const values = object.values();
    let i = 0;
    for (let key = firstMember(at, end); key != 0; key = nextMember(key, end)) {
      if (i >= keys.length) return disagree(name, "json-as has fewer members");
      // JSON.Obj keeps each key as its source text, escapes and all (json-as 1.6.0): json-as's
      // string parser decodes it.
      const theirKey = JSON.parse<string>("\"" + keys[i] + "\"");
      if (!sameString(key, end, theirKey)) return disagree(name, "member " + i.toString() + ": json-as has key \"" + theirKey + "\"");
      if (!agree(name, memberValue(key, end), end, values[i++])) return false;
    }
    return i == keys.length || disagree(name, "json-as has more members");
  }
  return disagree(name, "our reader sees no value");
}

const ORACLE_CAPACITY: usize = 8192;
const oracleInput = memory.data(<i32>ORACLE_CAPACITY);

/** The valid document at `ptr` as json-as is given it: `\/` written as `/` (see the top). */
function oracleText(ptr: usize, length: usize): string {
  let out: usize = 0;
  for (let p: usize = 0; p < length && out < ORACLE_CAPACITY; p++) {
    const c = load<u8>(ptr + p);
    if (c == 0x5C && load<u8>(ptr + p + 1) == 0x2F) continue; // the '/' follows on the next turn
    store<u8>(oracleInput + out++, c);
    if (c == 0x5C) store<u8>(oracleInput + out++, load<u8>(ptr + ++p)); // any other escape stays whole
  }
  return String.UTF8.decodeUnsafe(oracleInput, out);
}

/** Validates the document; if accepted, parses it with json-as and compares. Returns 1 if compared, 0 if refused. */
function compare(name: string, ptr: usize, length: usize, maxDepth: i32): i32 {
  if (validateJson(ptr, length, maxDepth, NO_LENGTH_LIMIT) != JsonError.None) return 0;
  if (length > ORACLE_CAPACITY / 2) return <i32>disagree(name, "too long for the oracle's buffer");
  const parsed = JSON.parse<JSON.Value>(oracleText(ptr, length));
  agree(name, skipWhitespace(ptr, ptr + length), ptr + length, parsed);
  return 1;
}

/** compare() on document `i` of a generated table: bytes back to back, u32 offsets. */
function compareStored(name: string, bytes: usize, offsets: usize, i: i32, maxDepth: i32): i32 {
  const start = load<u32>(offsets + (<usize>i << 2));
  const length = load<u32>(offsets + (<usize>(i + 1) << 2)) - start;
  return compare(name, bytes + <usize>start, length, maxDepth);
}

// ---- Generated documents: random valid JSON, built byte by byte into `generated`.

const GENERATED_DOCUMENTS = 300;
const GENERATED_CAPACITY: usize = 2048;
const generated = memory.data(<i32>GENERATED_CAPACITY + 64);
let length: usize = 0;
let random: u32 = 0x9E3779B9;

function next(n: u32): u32 {
  random ^= random << 13;
  random ^= random >> 17;
  random ^= random << 5;
  return random % n;
}

function put(b: u32): void {
  store<u8>(generated + length++, <u8>b);
}

function putText(text: string): void {
  length += String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, generated + length);
}

function space(): void {
  const pick = next(8);
  if (pick == 0) put(0x20);
  else if (pick == 1) put(0x0A);
  else if (pick == 2) { put(0x0D); put(0x09); }
}

const ESCAPES = ["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000", "\\u001F", "\\u00e9", "\\u20AC", "\\uD834\\uDD1E", "\\uFFFF"];
const CHARACTERS = ["a", "Z", "0", " ", "~", "\u007F", "\u00E9", "\u07FF", "\u0800", "\u20AC", "\uFFFD", "\u{1D11E}", "\u{10FFFF}", "version"];
const NUMBERS = ["0", "-0", "7", "-42", "4294967295", "4294967296", "18446744073709551616", "0.5", "-12.25", "1e3", "2E-2", "-0.0e+0", "6.02214076e23", "123456789"];

function putString(): void {
  put(0x22);
  const count = next(6);
  for (let i: u32 = 0; i < count; i++) {
    putText(next(3) == 0 ? ESCAPES[next(<u32>ESCAPES.length)] : CHARACTERS[next(<u32>CHARACTERS.length)]);
  }
  put(0x22);
}

function putValue(depth: u32): void {
  if (length > GENERATED_CAPACITY - 256) depth = 9; // near the end: only scalars from here on
  const kind = depth >= 4 ? next(5) : next(7);
  if (kind == 0) putString();
  else if (kind == 1) putText(NUMBERS[next(<u32>NUMBERS.length)]);
  else if (kind == 2) putText(next(2) == 0 ? "true" : "false");
  else if (kind == 3) putText("null");
  else if (kind == 4) putString();
  else if (kind == 5) {
    put(0x5B);
    const count = next(5);
    for (let i: u32 = 0; i < count; i++) {
      if (i > 0) put(0x2C);
      space(); putValue(depth + 1); space();
    }
    put(0x5D);
  } else {
    put(0x7B);
    const count = next(5);
    for (let i: u32 = 0; i < count; i++) {
      if (i > 0) put(0x2C);
      space(); putString(); space(); put(0x3A); space(); putValue(depth + 1); space();
    }
    put(0x7D);
  }
}

/** Builds the next generated document in `generated`; returns its length. */
function generate(): usize {
  length = 0;
  space();
  putValue(0);
  space();
  return length;
}

describe("json-as 1.6.0's known defect", () => {
  it("decodes \\/ as U+0000, which is why the oracle is handed / instead (remove both when json-as mends it)", () => {
    expect(JSON.parse<string>("\"a\\/b\"")).toBe("a\u0000b");
  });
});

describe("json-as as an oracle for our JSON reader", () => {
  beforeEach(() => {
    disagreement = "";
  });

  it("reads every JSONTestSuite and byte-level case the validator accepts as json-as does", () => {
    let compared = 0;
    let valid = 0;
    for (let i = 0; i < SUITE_CASES; i++) {
      if (load<u8>(SUITE_EXPECTED + <usize>i) != <u8>JsonError.None) continue;
      valid++;
      compared += compareStored(unchecked(SUITE_NAMES[i]), SUITE_BYTES, SUITE_OFFSETS, i, SUITE_MAX_DEPTH);
    }
    expect(disagreement).toBe("");
    expect(compared).toBe(valid);
    log<string>("json-oracle: " + compared.toString() + " JSONTestSuite and byte-level documents read alike by our reader and json-as");
  });

  it("reads every JSON document written in the tests as json-as does", () => {
    let compared = 0;
    for (let i = 0; i < TEST_DOCUMENTS; i++) {
      compared += compareStored("test document " + i.toString(), TEST_DOCUMENT_BYTES, TEST_DOCUMENT_OFFSETS, i, 16);
    }
    expect(disagreement).toBe("");
    // Every one is valid JSON without lone surrogates (the generator checked): the validator must accept it.
    expect(compared).toBe(TEST_DOCUMENTS);
    log<string>("json-oracle: " + compared.toString() + " JSON documents of the tests read alike by our reader and json-as");
  });

  it("reads generated valid documents as json-as does", () => {
    let compared = 0;
    for (let i = 0; i < GENERATED_DOCUMENTS; i++) {
      const length = generate();
      compared += compare("generated document " + i.toString(), generated, length, 16);
    }
    expect(disagreement).toBe("");
    // The generator writes only valid JSON: the validator must accept every document.
    expect(compared).toBe(GENERATED_DOCUMENTS);
    log<string>("json-oracle: " + compared.toString() + " generated documents read alike by our reader and json-as (stub heap top at " + heap.alloc(1).toString() + " of " + (memory.size() << 16).toString() + " bytes)");
  });
});
