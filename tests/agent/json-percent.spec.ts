import { PercentError, percentDecode } from "../../assembly/json/percent";

const src = memory.data(512);
const dst = memory.data(512);

function put(text: string): usize {
  return String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, src);
}

/** Decodes `text` into dst with capacity cap; the result as text, or the error code. */
function decode(text: string, cap: usize = 512): string {
  const length = percentDecode(src, put(text), dst, cap);
  return length < 0 ? "error " + length.toString() : String.UTF8.decodeUnsafe(dst, <usize>length);
}

describe("percentDecode", () => {
  it("decodes Murano's otau_info example", () => {
    expect(decode("%7B%22author%22%3A%22Rob%20Updater%22%2C%22config_otau%22%3A%7B%7D%7D"))
      .toBe("{\"author\":\"Rob Updater\",\"config_otau\":{}}");
  });
  it("accepts either case of hex digits and copies other bytes as they are", () => {
    expect(decode("a%2fb%2Fc-._~!$&'()*,;=:@")).toBe("a/b/c-._~!$&'()*,;=:@");
  });
  it("keeps '+' as a plus (RFC 3986, not form encoding)", () => {
    expect(decode("1+1%2B1")).toBe("1+1+1");
  });
  it("decodes escapes of any byte, including UTF-8 sequences and NUL", () => {
    const length = percentDecode(src, put("%C3%A9%00%ff"), dst, 512);
    expect(length).toBe(4);
    expect(load<u8>(dst)).toBe(0xC3);
    expect(load<u8>(dst + 1)).toBe(0xA9);
    expect(load<u8>(dst + 2)).toBe(0x00);
    expect(load<u8>(dst + 3)).toBe(0xFF);
  });
  it("decodes the empty input to nothing", () => {
    expect(percentDecode(src, 0, dst, 0)).toBe(0);
  });
  it("decodes in place", () => {
    const length = percentDecode(src, put("%7B%22a%22%3A1%7D"), src, 512);
    expect(String.UTF8.decodeUnsafe(src, <usize>length)).toBe("{\"a\":1}");
  });
  it("rejects '%' without two hex digits (BadEscape)", () => {
    expect(decode("%G1")).toBe("error -1");
    expect(decode("%1G")).toBe("error -1");
    expect(decode("abc%")).toBe("error -1");
    expect(decode("abc%4")).toBe("error -1");
    expect(decode("%%41")).toBe("error -1");
    expect(PercentError.BadEscape).toBe(-1);
  });
  it("rejects output that does not fit, writing nothing beyond cap (TooLong)", () => {
    memory.fill(dst, 0xEE, 8);
    expect(decode("abc%41", 3)).toBe("error -2");
    expect(load<u8>(dst + 3)).toBe(0xEE);
    expect(decode("abc%41", 4)).toBe("abcA");
    expect(PercentError.TooLong).toBe(-2);
  });
});
