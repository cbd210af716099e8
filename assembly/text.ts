// Text constants stored as UTF-8: `text("…")` is rewritten at build time by
// scripts/utf8-text-transform.mjs into static data — one byte of length, then the bytes — so a
// name or message fragment that is returned or kept in a table costs its UTF-8 bytes plus one,
// instead of an AssemblyScript string (a 20-byte header and two bytes per character).

/** A pointer to a text constant: its byte length (u8), then its UTF-8 bytes. */
export type Text = usize;

/** Replaced by the transform in every build; reaching this means it did not run. */
export function text(literal: string): Text {
  abort("text(\"" + literal + "\") needs scripts/utf8-text-transform.mjs");
  return 0;
}

export function textLength(t: Text): usize {
  return <usize>load<u8>(t);
}

export function textBytes(t: Text): usize {
  return t + 1;
}
