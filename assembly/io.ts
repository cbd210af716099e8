// The static I/O buffer: the one place the host writes inputs (documents, download
// chunks) and reads outputs (digests). Its size is fixed at build time so that the
// agent's memory use is known before it runs.

export const IO_BUFFER_SIZE: i32 = 4096;
export const ioBuffer = memory.data(IO_BUFFER_SIZE, 16);
