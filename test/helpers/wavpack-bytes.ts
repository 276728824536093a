/** Byte-level surgery on WavPack chunks for tests. */

/**
 * Recomputes the block checksum of every block whose header still parses, so that damage
 * gets past it to the sub-block parser, the entropy decoder and the sample checksum.
 */
export function resealChecksums(bytes: Uint8Array): { id: number; start: number; end: number }[] {
  const subBlocks: { id: number; start: number; end: number }[] = [];
  for (let offset = 0; offset + 32 <= bytes.length; ) {
    const size = (bytes[offset + 4] | (bytes[offset + 5] << 8) | (bytes[offset + 6] << 16)) + 8 + bytes[offset + 7] * 2 ** 24;
    if (size < 32 || offset + size > bytes.length) break;
    for (let p = offset + 32; p + 2 <= offset + size; ) {
      const id = bytes[p];
      let length = bytes[p + 1] * 2;
      let data = p + 2;
      if (id & 0x80) {
        length += bytes[p + 2] * 512 + bytes[p + 3] * 131072;
        data += 2;
      }
      if ((id & 0x3f) === 0x2f && length === 4) {
        let sum = -1;
        for (let q = offset; q < data - 2; q += 2) sum = (Math.imul(sum, 3) + (bytes[q] | (bytes[q + 1] << 8))) | 0;
        for (let k = 0; k < 4; k++) bytes[data + k] = (sum >>> (8 * k)) & 0xff;
      }
      subBlocks.push({ id: id & 0x3f, start: data, end: data + length });
      p = data + length;
    }
    offset += size;
  }
  return subBlocks;
}
