// Mutation fuzzing: seed documents with bytes replaced, inserted, deleted and cut,
// through the validator and then the reader and schema matcher. Nothing may trap (a
// trap fails the whole spec), the validator's offset stays inside the input, and on an
// accepted document the reader's walk agrees with valueEnd at every container and ends
// exactly at the document's end. The loop allocates nothing (the stub runtime never
// frees), so failures are counted, not expected.
import { JsonError, jsonErrorOffset, validateJson } from "../../assembly/json/validator";
import {
  JsonType, booleanValue, decodeString, firstElement, firstMember, memberValue, nextElement, nextMember, parseU32,
  skipWhitespace, stringEquals, valueEnd, valueType,
} from "../../assembly/json/reader";
import { FIELD_REQUIRED, Schema, matchSchema } from "../../assembly/json/schema";
import { percentDecode } from "../../assembly/json/percent";
import { text } from "../../assembly/text";

const SEEDS: StaticArray<string> = [
  "{\"version\":\"2.0.5-stable\",\"name\":\"Gateway\",\"type\":\"URL_LIST\",\"payload\":[\"https://a/b\",\"https://c/d\"]}",
  "[{\"a\":\"\\u00e9\\uD834\\uDD1E\\n\\\"x\"},[],{},\"\u00e9\u20ac\u{1D11E}\",1e-7,-0.5,true,false,null]",
  "{\"configId\":\"c1\",\"config\":{\"size\":1048576,\"sha256\":\"ab\"},\"statusCode\":200,\"reasonPhrase\":\"OK\"}",
  " [ 0 , 4294967295 , 1E+2 , \"\\/\\b\\f\\r\\t\" , [[[{}]]] ] ",
];
// Bytes that matter to the grammar or to UTF-8, picked more often than random ones.
const SPECIAL_BYTES = memory.data<u8>([
  0x00, 0x09, 0x0A, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x31, 0x3A, 0x45, 0x5B, 0x5C, 0x5D, 0x65, 0x75, 0x7B, 0x7D,
  0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x44, 0x38, 0x61, 0x66, 0x6E, 0x74,
]);
const SPECIAL_COUNT: u32 = 38;
const SCHEMA: Schema = memory.data<usize>([
  text("version"), FIELD_REQUIRED | JsonType.String,
  text("config"), JsonType.Object | JsonType.Array,
  text("statusCode"), JsonType.Number,
  0,
]);
const ITERATIONS = 20000;
const CAPACITY: usize = 512;

const input = memory.data(<i32>CAPACITY + 64);
const scratch = memory.data(16);
const found = memory.data(3 * sizeof<usize>());
let random: u32 = 0x2545F491;
let failures = 0;
let accepted = 0;

function next(n: u32): u32 {
  random ^= random << 13;
  random ^= random >> 17;
  random ^= random << 5;
  return random % n;
}

/** Builds one mutated document in `input`; returns its length. */
function mutate(): usize {
  const seed = unchecked(SEEDS[next(<u32>SEEDS.length)]);
  let length = String.UTF8.encodeUnsafe(changetype<usize>(seed), seed.length, input);
  const edits: u32 = next(4) + 1;
  for (let i: u32 = 0; i < edits; i++) {
    const at = <usize>next(<u32>length + 1);
    const b = next(3) != 0 ? load<u8>(SPECIAL_BYTES + <usize>next(SPECIAL_COUNT)) : <u8>next(256);
    const kind = next(4);
    if (kind == 0 && at < length) {
      store<u8>(input + at, b);
    } else if (kind == 1 && length < CAPACITY) {
      memory.copy(input + at + 1, input + at, length - at);
      store<u8>(input + at, b);
      length++;
    } else if (kind == 2 && at < length) {
      memory.copy(input + at, input + at + 1, length - at - 1);
      length--;
    } else if (kind == 3) {
      length = at;
    }
  }
  // Quotes and backslashes after the end: a read past it would change the outcome.
  memory.fill(input + length, 0x5C, 16);
  return length;
}

/** Visits every value under `at` with every reader function; returns the address after it.
 *  In a valid document the last member or element of a container must end just before its closing bracket. */
function walk(at: usize, end: usize, depth: i32, valid: bool): usize {
  const type = valueType(at);
  const after = valueEnd(at, end);
  if (type == JsonType.Object) {
    let lastEnd = at + 1;
    for (let key = firstMember(at, end); key != 0; key = nextMember(key, end)) {
      stringEquals(key, end, text("version"));
      decodeString(key, end, scratch, 16);
      if (depth < 32) lastEnd = walk(memberValue(key, end), end, depth + 1, valid);
    }
    if (valid && skipWhitespace(lastEnd, end) != after - 1) failures++;
  } else if (type == JsonType.Array) {
    let lastEnd = at + 1;
    for (let element = firstElement(at, end); element != 0; element = nextElement(element, end)) {
      if (depth < 32) lastEnd = walk(element, end, depth + 1, valid);
    }
    if (valid && skipWhitespace(lastEnd, end) != after - 1) failures++;
  } else if (type == JsonType.String) {
    decodeString(at, end, scratch, 16);
    stringEquals(at, end, text("\u{1D11E}"));
  } else if (type == JsonType.Number) {
    parseU32(at, end);
  } else {
    booleanValue(at);
  }
  return after;
}

describe("JSON layer under mutated documents", () => {
  it("never traps, keeps error offsets inside the input, and walks accepted documents consistently to their end", () => {
    for (let i = 0; i < ITERATIONS; i++) {
      const length = mutate();
      const end = input + length;
      const error = validateJson(input, length, 16, CAPACITY);
      if (jsonErrorOffset() > length) failures++;
      const root = skipWhitespace(input, end);
      const after = walk(root, end, 0, error == JsonError.None);
      matchSchema(root, end, SCHEMA, found);
      percentDecode(input, length, scratch, 16);
      if (error == JsonError.None) {
        accepted++;
        if (skipWhitespace(after, end) != end) failures++;
      }
    }
    expect(failures).toBe(0);
    // The mutations must leave a fair share valid, or the reader checks above prove little.
    expect(accepted).toBeGreaterThan(ITERATIONS / 20);
    log<string>("json-fuzz: " + ITERATIONS.toString() + " mutated documents through the validator, " + accepted.toString() + " accepted");
  });
});
