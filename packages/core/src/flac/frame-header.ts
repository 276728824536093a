import { crc8 } from "./crc.js";

/** A parsed FLAC frame header. */
export interface FrameHeader {
  /** Byte offset of the sync code. */
  offset: number;
  /** Byte offset of the first subframe. */
  bodyOffset: number;
  blockSize: number;
  /** 0–7: independent channels (n+1); 8 left/side, 9 right/side, 10 mid/side. */
  channelAssignment: number;
  channels: number;
  /** Bits per sample; 0 means "from STREAMINFO". */
  bitsPerSample: number;
  variableBlockSize: boolean;
  /** Frame number (fixed block size) or first sample number (variable block size). */
  number: number;
}

const SAMPLE_SIZES = [0, 8, 12, -1, 16, 20, 24, 32];

/** Frame header sample-size code of a bits-per-sample value (0 = "from STREAMINFO"). */
export function sampleSizeCode(bps: number): number {
  const code = SAMPLE_SIZES.indexOf(bps);
  return Math.max(code, 0);
}

/** A blank header to parse into (decoders reuse one per stream: no allocation per frame). */
export function createFrameHeader(): FrameHeader {
  return {
    offset: 0,
    bodyOffset: 0,
    blockSize: 0,
    channelAssignment: 0,
    channels: 0,
    bitsPerSample: 0,
    variableBlockSize: false,
    number: 0,
  };
}

/**
 * Parses the frame header at `pos` into `out`, checking its CRC-8.
 * @returns null when `out` holds a valid header, else a string saying why there is none
 */
export function parseFrameHeader(b: Uint8Array, pos: number, out: FrameHeader): string | null {
  const end = b.length;
  if (pos + 6 > end) return "frame header runs past the end";
  if (b[pos] !== 0xff || (b[pos + 1] & 0xfe) !== 0xf8) {
    return `expected frame sync 0xFFF8, found 0x${((b[pos] << 8) | b[pos + 1]).toString(16).toUpperCase()}`;
  }
  const variableBlockSize = (b[pos + 1] & 1) === 1;
  const bsCode = b[pos + 2] >>> 4;
  const srCode = b[pos + 2] & 0xf;
  const channelAssignment = b[pos + 3] >>> 4;
  const ssCode = (b[pos + 3] >>> 1) & 7;
  if (bsCode === 0) return "reserved block size code 0";
  if (srCode === 15) return "invalid sample rate code 15";
  if (channelAssignment > 10) return `reserved channel assignment ${channelAssignment}`;
  if (ssCode === 3) return "reserved sample size code 3";
  if (b[pos + 3] & 1) return "reserved bit set in frame header";
  // UTF-8-like coded number, up to 7 bytes (36 bits)
  let p = pos + 4;
  let number = b[p++];
  let extra = 0;
  if (number >= 0x80) {
    if (number >= 0xfe) {
      if (number === 0xff) return "invalid coded number";
      extra = 6;
      number = 0;
    } else if (number >= 0xfc) {
      extra = 5;
      number &= 1;
    } else if (number >= 0xf8) {
      extra = 4;
      number &= 3;
    } else if (number >= 0xf0) {
      extra = 3;
      number &= 7;
    } else if (number >= 0xe0) {
      extra = 2;
      number &= 0xf;
    } else if (number >= 0xc0) {
      extra = 1;
      number &= 0x1f;
    } else return "invalid coded number";
  }
  if (p + extra + 3 > end) return "frame header runs past the end";
  for (let i = 0; i < extra; i++) {
    const c = b[p++];
    if ((c & 0xc0) !== 0x80) return "invalid coded number";
    number = number * 64 + (c & 0x3f);
  }
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = b[p++] + 1;
  else if (bsCode === 7) {
    blockSize = ((b[p] << 8) | b[p + 1]) + 1;
    p += 2;
  } else blockSize = 256 << (bsCode - 8);
  if (srCode === 12) p += 1;
  else if (srCode === 13 || srCode === 14) p += 2;
  if (p + 1 > end) return "frame header runs past the end";
  if (crc8(b, pos, p) !== b[p])
    return `frame header CRC-8 mismatch (computed 0x${crc8(b, pos, p).toString(16)}, stored 0x${b[p].toString(16)})`;
  out.offset = pos;
  out.bodyOffset = p + 1;
  out.blockSize = blockSize;
  out.channelAssignment = channelAssignment;
  out.channels = channelAssignment <= 7 ? channelAssignment + 1 : 2;
  out.bitsPerSample = SAMPLE_SIZES[ssCode];
  out.variableBlockSize = variableBlockSize;
  out.number = number;
  return null;
}
