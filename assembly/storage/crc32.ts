// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial and final value
// 0xFFFFFFFF; "123456789" gives 0xCBF43926). Guards the boot record and journal entries
// against torn or decayed bytes. Bitwise rather than table-driven: records are a few
// hundred bytes, and a 1 KiB table would cost more static memory than it saves time.

export function crc32(ptr: usize, len: usize): u32 {
  let crc: u32 = 0xffffffff;
  for (let i: usize = 0; i < len; i++) {
    crc ^= <u32>load<u8>(ptr + i);
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc >>> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }
  }
  return ~crc;
}
