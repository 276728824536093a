/** Little-endian integers of metadata sub-blocks. */

/** The unsigned 16-bit value at `at`. */
export function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
}

/** The signed 16-bit value at `at`. */
export function s16(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) << 16) >> 16;
}

/** The signed 8-bit value at `at`. */
export function s8(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) << 24) >> 24;
}

/** The unsigned 32-bit value at `at`. */
export function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;
}
