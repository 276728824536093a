import { InvalidChunkError } from "../errors.js";
import { HEADER_BYTES, ID, MAX_STREAM_VERSION, MIN_STREAM_VERSION } from "./constants.js";

/** The 32-byte header of one WavPack block. */
export interface BlockHeader {
  /** Index of the block in the chunk. */
  readonly number: number;
  /** Byte offset of the block in the chunk. */
  readonly offset: number;
  /** Size of the whole block, header included (`ckSize + 8`). */
  readonly size: number;
  readonly version: number;
  /** Total samples (per channel) of the stream, or -1 when unknown. */
  readonly totalSamples: number;
  /** First sample (per channel) of this block in the stream. */
  readonly blockIndex: number;
  /** Samples (per channel) in this block; 0 for a block without audio. */
  readonly blockSamples: number;
  readonly flags: number;
  /** Checksum of the decoded samples (`crc`). */
  readonly crc: number;
}

/** One metadata sub-block: its id (without the size bits) and where its data are. */
export interface SubBlock {
  readonly id: number;
  readonly start: number;
  readonly length: number;
}

/** The error for block `block` at byte `offset` of the chunk. */
export function blockError(block: number, offset: number, reason: string): InvalidChunkError {
  return new InvalidChunkError("wavpack", block, offset, reason);
}

/** Reads and checks the header of the block at `offset`. */
export function readBlockHeader(bytes: Uint8Array, offset: number, number: number): BlockHeader {
  const available = bytes.length - offset;
  if (available < HEADER_BYTES)
    throw blockError(number, offset, `a block header takes 32 bytes but only ${available} remain (truncated chunk)`);
  if (bytes[offset] !== 0x77 || bytes[offset + 1] !== 0x76 || bytes[offset + 2] !== 0x70 || bytes[offset + 3] !== 0x6b)
    throw blockError(number, offset, `expected the block marker "wvpk", found bytes ${hex(bytes, offset, 4)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, HEADER_BYTES);
  const size = view.getUint32(4, true) + 8;
  if (size < HEADER_BYTES || size > available)
    throw blockError(
      number,
      offset,
      `block size ${size} ${size < HEADER_BYTES ? "is below the 32-byte header" : `exceeds the ${available} bytes that remain (truncated chunk)`}`,
    );
  const version = view.getUint16(8, true);
  if (version < MIN_STREAM_VERSION || version > MAX_STREAM_VERSION)
    throw blockError(number, offset, `stream version 0x${version.toString(16)} is outside the 0x402-0x410 that WavPack 4 and 5 write`);
  const totalLow = view.getUint32(12, true);
  const totalHigh = bytes[offset + 11];
  return {
    number,
    offset,
    size,
    version,
    totalSamples: totalLow === 0xffffffff ? -1 : totalLow + totalHigh * 2 ** 32 - totalHigh,
    blockIndex: view.getUint32(16, true) + bytes[offset + 10] * 2 ** 32,
    blockSamples: view.getUint32(20, true),
    flags: view.getUint32(24, true),
    crc: view.getUint32(28, true),
  };
}

/**
 * Lists the metadata sub-blocks of a block and verifies its block checksum
 * (`WavpackVerifySingleBlock`): a block that says it has one must have one that matches.
 */
export function readSubBlocks(bytes: Uint8Array, header: BlockHeader): SubBlock[] {
  const { offset, number } = header;
  const end = offset + header.size;
  const subBlocks: SubBlock[] = [];
  let checksumPassed = false;
  let p = offset + HEADER_BYTES;
  while (p < end) {
    if (end - p < 2) throw blockError(number, p, "one stray byte after the last metadata sub-block");
    const idByte = bytes[p];
    let length = bytes[p + 1] * 2;
    let dataStart = p + 2;
    if (idByte & ID.LARGE) {
      if (end - dataStart < 2) throw blockError(number, p, "a large metadata sub-block header is cut off");
      length += bytes[p + 2] * 512 + bytes[p + 3] * 131072;
      dataStart += 2;
    }
    const stored = length;
    if (idByte & ID.ODD_SIZE) {
      if (length === 0) throw blockError(number, p, "a metadata sub-block has odd size and no data");
      length--;
    }
    if (stored > end - dataStart)
      throw blockError(
        number,
        p,
        `metadata sub-block 0x${(idByte & 0x3f).toString(16)} needs ${stored} bytes but the block has ${end - dataStart} left`,
      );
    const id = idByte & 0x3f;
    if (id === ID.BLOCK_CHECKSUM) {
      verifyChecksum(bytes, offset, dataStart, length, idByte, number);
      checksumPassed = true;
    }
    subBlocks.push({ id, start: dataStart, length });
    p = dataStart + stored;
  }
  if (header.flags & 0x10000000 && !checksumPassed)
    throw blockError(number, offset, "the header says the block has a checksum but it has none");
  return subBlocks;
}

/** Checks a block checksum: a running `sum * 3 + word` over the block's 16-bit words before it. */
function verifyChecksum(bytes: Uint8Array, blockStart: number, dataStart: number, length: number, idByte: number, number: number): void {
  if (idByte & ID.ODD_SIZE || length < 2 || length > 4)
    throw blockError(number, dataStart, `a block checksum of ${length} bytes (expected 2 or 4)`);
  const words = (dataStart - 2 - blockStart) >> 1;
  let sum = -1;
  for (let i = 0, p = blockStart; i < words; i++, p += 2) sum = (Math.imul(sum, 3) + (bytes[p] | (bytes[p + 1] << 8))) | 0;
  let expected: number;
  let found: number;
  if (length === 4) {
    expected = sum >>> 0;
    found = (bytes[dataStart] | (bytes[dataStart + 1] << 8) | (bytes[dataStart + 2] << 16) | (bytes[dataStart + 3] << 24)) >>> 0;
  } else {
    expected = (sum ^ (sum >>> 16)) & 0xffff;
    found = bytes[dataStart] | (bytes[dataStart + 1] << 8);
  }
  if (expected !== found)
    throw blockError(
      number,
      dataStart,
      `block checksum mismatch: stored 0x${found.toString(16)}, computed 0x${expected.toString(16)} (corrupt block)`,
    );
}

function hex(bytes: Uint8Array, offset: number, count: number): string {
  return Array.from(bytes.subarray(offset, offset + count), (b) => b.toString(16).padStart(2, "0")).join(" ");
}
