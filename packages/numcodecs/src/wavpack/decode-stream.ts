import { type BlockHeader, blockError, readBlockHeader, readSubBlocks, type SubBlock } from "./block.js";
import { FLAG, ID, MAX_CHANNELS } from "./constants.js";
import { BlockDecoder } from "./decode-block.js";
import { wavpackKernel } from "./wasm-kernel.js";

/** What a WavPack stream holds, from its first block. */
export interface WavpackFormat {
  /** Channels per frame. */
  readonly channels: number;
  /** Bytes per sample: 1, 2, 3 or 4. */
  readonly bytesPerSample: number;
  /** Whether the samples are IEEE float32 (their bit patterns are returned as int32). */
  readonly float: boolean;
  /** Whether the stream is hybrid (lossy without its correction file). */
  readonly hybrid: boolean;
  /** Frames in the stream. */
  readonly frames: number;
}

/**
 * A decoded WavPack stream: frame-interleaved samples as wavpack-numcodecs returns them, i.e.
 * libwavpack's `WavpackUnpackSamples` narrowed to int8 or int16 for 1- and 2-byte samples.
 */
export interface DecodedWavpack extends WavpackFormat {
  /** `frames * channels` samples: Int8Array, Int16Array, or Int32Array (float32 bit patterns when {@link WavpackFormat.float}). */
  readonly samples: Int8Array | Int16Array | Int32Array;
}

/** Options of {@link decodeWavpack}. */
export interface DecodeWavpackOptions {
  /** Refuse streams that claim more samples (frames x channels) than this. Default 2^28 (1 GiB of int32). */
  readonly maxSamples?: number;
  /**
   * "wasm" (the default where WebAssembly runs: the words and the decorrelation of every block
   * in wasm/wavpack.c) or "typescript". Both give the same samples and the same errors.
   */
  readonly kernel?: "wasm" | "typescript";
}

const DEFAULT_MAX_SAMPLES = 2 ** 28;

/**
 * Decodes a complete WavPack stream held in memory (a `.wv` file, or one numcodecs
 * "wavpack" chunk): every block, with channels in pairs of streams, into frame-interleaved
 * int32 samples. Every block's checksum and sample checksum are verified; any corruption,
 * truncation or inconsistency is an InvalidChunkError.
 */
export function decodeWavpack(bytes: Uint8Array, options: DecodeWavpackOptions = {}): DecodedWavpack {
  const blocks = readBlocks(bytes);
  const format = formatOf(bytes, blocks[0].header, blocks[0].subBlocks);
  const { channels, frames } = format;
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  if (frames * channels > maxSamples)
    throw blockError(0, 0, `the stream claims ${frames} frames x ${channels} channels, more than the ${maxSamples} samples allowed`);
  const setFrames = blocks.reduce((sum, { header }) => sum + (header.flags & FLAG.INITIAL_BLOCK ? header.blockSamples : 0), 0);
  if (setFrames !== frames)
    throw blockError(-1, bytes.length, `the blocks hold ${setFrames} frames but the header says the stream has ${frames}`);
  const Output = format.bytesPerSample === 1 ? Int8Array : format.bytesPerSample === 2 ? Int16Array : Int32Array;
  const samples = new Output(frames * channels);
  const decoder = new BlockDecoder(options.kernel === "typescript" ? null : wavpackKernel());
  let scratch = new Int32Array(0);
  let setStart = 0;
  let setLength = 0;
  let channel = 0;
  for (const { header, subBlocks } of blocks) {
    if (header.blockSamples === 0) continue;
    const fail = (reason: string) => blockError(header.number, header.offset, reason);
    if (header.flags & FLAG.HYBRID ? !format.hybrid : format.hybrid) throw fail("hybrid and lossless blocks are mixed");
    if (channel === 0) {
      if (!(header.flags & FLAG.INITIAL_BLOCK)) throw fail("the first block of a set of channels lacks the INITIAL_BLOCK flag");
      if (header.blockIndex !== setStart) throw fail(`the block starts at frame ${header.blockIndex}, expected ${setStart}`);
      setLength = header.blockSamples;
    } else if (header.flags & FLAG.INITIAL_BLOCK || header.blockIndex !== setStart || header.blockSamples !== setLength)
      throw fail(`block of channel ${channel} does not continue the set of frames ${setStart}-${setStart + setLength}`);
    const width = header.flags & FLAG.MONO ? 1 : 2;
    if (channel + width > channels) throw fail(`the blocks hold more than the stream's ${channels} channels`);
    if (scratch.length < 2 * setLength) scratch = new Int32Array(2 * setLength);
    decoder.decode(bytes, header, subBlocks, scratch);
    interleave(scratch, width, setLength, samples, setStart * channels + channel, channels);
    channel += width;
    if (header.flags & FLAG.FINAL_BLOCK) {
      if (channel !== channels) throw fail(`the set of frames ends after ${channel} of ${channels} channels`);
      setStart += setLength;
      channel = 0;
    }
  }
  if (channel !== 0) throw blockError(-1, bytes.length, "the stream ends in the middle of a set of channels");
  return { ...format, samples };
}

/**
 * Reads every block header and verifies every block checksum before anything is decoded or
 * allocated, so that sizes come only from blocks that are intact.
 */
function readBlocks(bytes: Uint8Array): { header: BlockHeader; subBlocks: SubBlock[] }[] {
  const blocks: { header: BlockHeader; subBlocks: SubBlock[] }[] = [];
  for (let offset = 0; offset === 0 || offset < bytes.length; ) {
    const header = readBlockHeader(bytes, offset, blocks.length);
    blocks.push({ header, subBlocks: readSubBlocks(bytes, header) });
    offset += header.size;
  }
  return blocks;
}

/** The stream's format, from its first block. */
function formatOf(bytes: Uint8Array, first: BlockHeader, subBlocks: readonly SubBlock[]): WavpackFormat {
  if (first.totalSamples < 0) throw blockError(0, 0, "the stream does not record its length (total_samples unknown)");
  let channels = first.flags & FLAG.MONO ? 1 : 2;
  const info = subBlocks.find((s) => s.id === ID.CHANNEL_INFO);
  if (info) {
    const { start, length } = info;
    if (length === 0 || length > 7) throw blockError(0, start, `a channel-info sub-block of ${length} bytes (expected 1-7)`);
    channels = length >= 6 ? (bytes[start] | ((bytes[start + 2] & 0xf) << 8)) + 1 : bytes[start];
  }
  if (channels < 1 || channels > MAX_CHANNELS) throw blockError(0, 0, `${channels} channels (WavPack holds 1-${MAX_CHANNELS})`);
  if (channels === 1 && !(first.flags & FLAG.MONO)) throw blockError(0, 0, "a one-channel stream starts with a stereo block");
  return {
    channels,
    bytesPerSample: (first.flags & FLAG.BYTES_STORED) + 1,
    float: (first.flags & FLAG.FLOAT_DATA) !== 0,
    hybrid: (first.flags & FLAG.HYBRID) !== 0,
    frames: first.totalSamples,
  };
}

/** Copies a block's 1 or 2 channels into their columns of the frame-interleaved output. */
function interleave(
  block: Int32Array,
  width: number,
  frames: number,
  out: Int8Array | Int16Array | Int32Array,
  start: number,
  stride: number,
): void {
  if (width === 1) for (let f = 0, o = start; f < frames; f++, o += stride) out[o] = block[f] as number;
  else
    for (let f = 0, o = start; f < frames; f++, o += stride) {
      out[o] = block[2 * f] as number;
      out[o + 1] = block[2 * f + 1] as number;
    }
}
