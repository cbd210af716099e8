// The static I/O buffer: the one place the host writes inputs (documents, download
// chunks) and reads outputs (digests). Its size is fixed at build time so that the
// agent's memory use is known before it runs.

export const IO_BUFFER_SIZE: i32 = 4096;
export const ioBuffer = memory.data(IO_BUFFER_SIZE, 16);

// The buffer's upper 3 KiB double as work memory for the signature check (Ed25519, SHA-512,
// the image and key hashes, the trust store's read-back): it runs only while the buffer holds
// no input past its first IO_SCRATCH_OFFSET bytes (at the end of a download; a key list;
// ed25519_verify's inputs), and keeping ~3 KB of static memory out of the agent is what
// lets it fit the boards' 28.5 KiB memory limit. Each user takes a fixed region (offsets below).
export const IO_SCRATCH_OFFSET: i32 = 1024;
export const ioScratch: usize = ioBuffer + <usize>IO_SCRATCH_OFFSET;
/** crypto/field25519.ts: 200 bytes. */
export const SCRATCH_FIELD: usize = ioScratch;
/** crypto/sha512.ts: 320 bytes. */
export const SCRATCH_SHA512: usize = ioScratch + 200;
/** crypto/ed25519.ts: 2,156 bytes. */
export const SCRATCH_ED25519: usize = ioScratch + 520;
/**
 * 192 bytes used one after another, never nested: the trust store's read-back copy, the
 * image hash's SHA-256 context (image/verify.ts), the key-hash context and digest
 * (storage/trust_store.ts).
 */
export const SCRATCH_HASHING: usize = ioScratch + 2676;
export const SCRATCH_END: usize = ioScratch + 2868;
