// Every effect the agent asks of its host. This file is the whole import side of
// the ABI (docs/abi.md): integers and pointers into the agent's own memory only.

/** Log levels passed to `log`. */
export const enum LogLevel {
  Error = 0,
  Warn = 1,
  Info = 2,
  Debug = 3,
}

/** Write `len` bytes of UTF-8 text at `ptr` to the device log. */
@external("env", "log")
export declare function log(level: i32, ptr: usize, len: usize): void;

/**
 * The agent hit an unrecoverable condition (an AssemblyScript abort). `ptr`/`len`
 * hold a UTF-8 message; the host logs it and re-instantiates the agent. Never returns.
 */
@external("env", "fatal")
export declare function fatal(ptr: usize, len: usize, line: u32, column: u32): void;

const TEXT_SCRATCH_SIZE: i32 = 192;
const textScratch = memory.data(TEXT_SCRATCH_SIZE);

/** Copies an AssemblyScript string as UTF-8 (ASCII subset, others as '?') without allocating. */
function copyText(text: string | null, at: i32): i32 {
  if (text === null) return at;
  const units = text.length;
  const src = changetype<usize>(text);
  for (let i = 0; i < units && at < TEXT_SCRATCH_SIZE; i++) {
    const unit = load<u16>(src + (<usize>i << 1));
    store<u8>(textScratch + at++, unit < 0x80 ? <u8>unit : 0x3f);
  }
  return at;
}

/**
 * The abort target (asconfig `--use abort=`): turns "message in file" into plain
 * bytes so that no AssemblyScript string crosses the ABI, then calls `fatal`.
 */
export function agentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let at = copyText(message, 0);
  at = copyText(" in ", at);
  at = copyText(fileName, at);
  fatal(textScratch, at, line, column);
  unreachable();
}

/** Logs a constant message: string literals live in static data, so this allocates nothing. */
export function logText(level: LogLevel, text: string): void {
  const bytes = copyText(text, 0);
  log(level, textScratch, bytes);
}

// ---- Flash (docs/abi.md "Flash"). Areas are described by the host; see storage/areas.ts.

/** Writes {size, sectorSize, writeAlign, erasedValue} as four u32 at `out`. */
@external("env", "flash_info")
export declare function flash_info(area: i32, out: usize): i32;

@external("env", "flash_read")
export declare function flash_read(area: i32, offset: u32, ptr: usize, len: u32): i32;

/** `offset` and `len` multiples of the area's write alignment; the bytes must be erased. */
@external("env", "flash_write")
export declare function flash_write(area: i32, offset: u32, ptr: usize, len: u32): i32;

/** `offset` and `len` multiples of the area's sector size. */
@external("env", "flash_erase")
export declare function flash_erase(area: i32, offset: u32, len: u32): i32;
