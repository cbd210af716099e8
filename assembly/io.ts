// The static I/O buffer: the one place the host writes inputs (documents, download
// chunks) and reads outputs (digests). Its size is fixed at build time so that the
// agent's memory use is known before it runs.

export const IO_BUFFER_SIZE: i32 = 4096;
export const ioBuffer = memory.data(IO_BUFFER_SIZE, 16);

/** Return codes of the exports (docs/abi.md). Negative means the call was refused and changed nothing. */
export const enum AbiResult {
  Ok = 0,
  /** A length argument exceeds IO_BUFFER_SIZE. */
  LengthTooLarge = -1,
  /** The call is not valid in the agent's current state. */
  WrongState = -2,
  /** An argument is out of its range (unknown source, setting or value). */
  BadArgument = -3,
}
