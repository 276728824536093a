/**
 * Recognising inputs by their content, not their name: a raw recording has no signature, so
 * what has one (HDF5, FLAC, .npy, archives, text) is not a raw recording, whatever it is called.
 */
import { closeSync, openSync, readSync } from "node:fs";

/** Bytes read from the start of a file to recognise it. */
const HEAD_BYTES = 256;

const SIGNATURES: [number[], string][] = [
  [[0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], "an HDF5 file"],
  [[0x66, 0x4c, 0x61, 0x43], "a FLAC stream"],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], "a .npy file"],
  [[0x50, 0x4b, 0x03, 0x04], "a zip archive"],
  [[0x1f, 0x8b], "a gzip file"],
];

/** The first bytes of a file (fewer when it is shorter). */
export function headOf(path: string, length = HEAD_BYTES): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const head = new Uint8Array(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * What a file whose first bytes are `head` is, when it is a known format with a signature, or
 * text; undefined when it may be raw samples.
 */
export function recognise(head: Uint8Array): string | undefined {
  for (const [bytes, what] of SIGNATURES) if (bytes.every((b, i) => head[i] === b)) return what;
  if (head.length >= 64 && head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) return "a text file";
  return undefined;
}

/** Whether `head` starts with a zlib stream header (RFC 1950: deflate, and a header checksum that holds), as every .cbin chunk does. */
export function startsWithZlib(head: Uint8Array): boolean {
  return head.length >= 2 && (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;
}
