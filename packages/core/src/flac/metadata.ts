import { InvalidStreamError } from "../errors.js";

/** The STREAMINFO block of a FLAC stream, plus where its first frame starts. */
export interface StreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  minFrameSize: number;
  maxFrameSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel; 0 means unknown (Python flacarray always writes 0). */
  totalSamples: number;
  md5: Uint8Array;
  /** Byte offset of the first audio frame. */
  firstFrameOffset: number;
  /** Seek points of a SEEKTABLE block, in order, without placeholders. */
  seekPoints: SeekPoint[];
}

/** One SEEKTABLE entry: the frame starting at `sample` is `byteOffset` bytes after the first frame. */
export interface SeekPoint {
  sample: number;
  byteOffset: number;
}

const STREAMINFO = 0;
const SEEKTABLE = 3;

/**
 * Parses the `fLaC` marker and the metadata blocks of a FLAC stream.
 * @param bytes - the stream (at least up to its first frame)
 * @param stream - stream index for error messages
 * @throws {InvalidStreamError} when the marker, STREAMINFO or a block header is wrong
 */
export function readStreamInfo(bytes: Uint8Array, stream = -1): StreamInfo {
  const fail = (reason: string, at: number): never => {
    throw new InvalidStreamError(reason, stream, at);
  };
  if (bytes.length < 42) fail(`stream is ${bytes.length} bytes, shorter than a FLAC header (42)`, 0);
  if (bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    fail(`expected marker "fLaC", found bytes ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ")}`, 0);
  }
  let pos = 4;
  let info: StreamInfo | undefined;
  const seekPoints: SeekPoint[] = [];
  for (;;) {
    if (pos + 4 > bytes.length) fail("metadata block header runs past the end", pos);
    const last = (bytes[pos] & 0x80) !== 0;
    const type = bytes[pos] & 0x7f;
    const length = (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3];
    const body = pos + 4;
    if (body + length > bytes.length) fail(`metadata block of type ${type} (${length} bytes) runs past the end`, pos);
    if (info === undefined && type !== STREAMINFO) fail(`expected STREAMINFO as first metadata block, found type ${type}`, pos);
    if (type === STREAMINFO) {
      if (length !== 34) fail(`STREAMINFO length ${length}, expected 34`, pos);
      const b = bytes;
      const p = body;
      const sampleRate = (b[p + 10] << 12) | (b[p + 11] << 4) | (b[p + 12] >>> 4);
      const channels = ((b[p + 12] >>> 1) & 7) + 1;
      const bitsPerSample = (((b[p + 12] & 1) << 4) | (b[p + 13] >>> 4)) + 1;
      const totalSamples = (b[p + 13] & 0x0f) * 2 ** 32 + (((b[p + 14] << 24) | (b[p + 15] << 16) | (b[p + 16] << 8) | b[p + 17]) >>> 0);
      info = {
        minBlockSize: (b[p] << 8) | b[p + 1],
        maxBlockSize: (b[p + 2] << 8) | b[p + 3],
        minFrameSize: (b[p + 4] << 16) | (b[p + 5] << 8) | b[p + 6],
        maxFrameSize: (b[p + 7] << 16) | (b[p + 8] << 8) | b[p + 9],
        sampleRate,
        channels,
        bitsPerSample,
        totalSamples,
        md5: b.slice(p + 18, p + 34),
        firstFrameOffset: 0,
        seekPoints,
      };
      if (bitsPerSample < 4) fail(`STREAMINFO bits per sample ${bitsPerSample}, expected 4–32`, p + 12);
      if (info.maxBlockSize < 16 && info.maxBlockSize !== info.minBlockSize) fail(`STREAMINFO max block size ${info.maxBlockSize} < 16`, p);
    } else if (type === SEEKTABLE) {
      for (let q = body; q + 18 <= body + length; q += 18) {
        const hi = (bytes[q] << 24) | (bytes[q + 1] << 16) | (bytes[q + 2] << 8) | bytes[q + 3];
        if (hi === -1) continue; // placeholder point
        const sample = (hi >>> 0) * 2 ** 32 + (((bytes[q + 4] << 24) | (bytes[q + 5] << 16) | (bytes[q + 6] << 8) | bytes[q + 7]) >>> 0);
        const byteOffset =
          (((bytes[q + 8] << 24) | (bytes[q + 9] << 16) | (bytes[q + 10] << 8) | bytes[q + 11]) >>> 0) * 2 ** 32 +
          (((bytes[q + 12] << 24) | (bytes[q + 13] << 16) | (bytes[q + 14] << 8) | bytes[q + 15]) >>> 0);
        seekPoints.push({ sample, byteOffset });
      }
    }
    pos = body + length;
    if (last) break;
  }
  (info as StreamInfo).firstFrameOffset = pos;
  return info as StreamInfo;
}

/**
 * Writes the `fLaC` marker and a STREAMINFO block (the only metadata block).
 * @returns the 42 header bytes
 */
export function writeStreamHeader(info: {
  blockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
}): Uint8Array {
  const b = new Uint8Array(42);
  b.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]);
  const p = 8;
  b[p] = info.blockSize >>> 8;
  b[p + 1] = info.blockSize & 0xff;
  b[p + 2] = info.blockSize >>> 8;
  b[p + 3] = info.blockSize & 0xff;
  // min/max frame size 0 = unknown
  b[p + 10] = info.sampleRate >>> 12;
  b[p + 11] = (info.sampleRate >>> 4) & 0xff;
  b[p + 12] = ((info.sampleRate & 0xf) << 4) | ((info.channels - 1) << 1) | ((info.bitsPerSample - 1) >>> 4);
  const hi = Math.floor(info.totalSamples / 2 ** 32);
  const lo = info.totalSamples >>> 0;
  b[p + 13] = (((info.bitsPerSample - 1) & 0xf) << 4) | (hi & 0xf);
  b[p + 14] = lo >>> 24;
  b[p + 15] = (lo >>> 16) & 0xff;
  b[p + 16] = (lo >>> 8) & 0xff;
  b[p + 17] = lo & 0xff;
  // MD5 left zero (unknown), as libFLAC without a seek callback writes it
  return b;
}
