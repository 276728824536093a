/** CRC-8 (poly 0x07) and CRC-16 (poly 0x8005) of FLAC frame headers and frames. */

const CRC8_TABLE = new Uint8Array(256);
const CRC16_TABLE = new Uint16Array(256);
/** Slice-by-4 tables: CRC16_SLICES[k][b] is the CRC of byte b followed by k zero bytes. */
const CRC16_SLICES = [CRC16_TABLE, new Uint16Array(256), new Uint16Array(256), new Uint16Array(256)];
for (let i = 0; i < 256; i++) {
  let c8 = i;
  let c16 = i << 8;
  for (let b = 0; b < 8; b++) {
    c8 = c8 & 0x80 ? (c8 << 1) ^ 0x07 : c8 << 1;
    c16 = c16 & 0x8000 ? (c16 << 1) ^ 0x8005 : c16 << 1;
  }
  CRC8_TABLE[i] = c8 & 0xff;
  CRC16_TABLE[i] = c16 & 0xffff;
}
for (let k = 1; k < 4; k++) {
  for (let i = 0; i < 256; i++) {
    const prev = CRC16_SLICES[k - 1][i];
    CRC16_SLICES[k][i] = ((prev << 8) ^ CRC16_TABLE[prev >>> 8]) & 0xffff;
  }
}

/** CRC-8 of `bytes[start, end)` as a FLAC frame header uses it. */
export function crc8(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = CRC8_TABLE[crc ^ bytes[i]];
  return crc;
}

/** CRC-16 of `bytes[start, end)` as a FLAC frame footer uses it. */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  const [t0, t1, t2, t3] = CRC16_SLICES;
  let crc = 0;
  let i = start;
  // four bytes per step: the CRC's two bytes fold into the first two
  for (; i + 4 <= end; i += 4) {
    crc = t3[(crc >>> 8) ^ bytes[i]] ^ t2[(crc & 0xff) ^ bytes[i + 1]] ^ t1[bytes[i + 2]] ^ t0[bytes[i + 3]];
  }
  for (; i < end; i++) crc = ((crc << 8) ^ CRC16_TABLE[(crc >>> 8) ^ bytes[i]]) & 0xffff;
  return crc;
}
