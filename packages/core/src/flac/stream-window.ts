/**
 * Decoding a window of a long FLAC stream that is read by byte ranges (over HTTP, say) without
 * fetching the whole stream. Python flacarray's streams have no SEEKTABLE and STREAMINFO says 0
 * samples, so the frame that holds the window's first sample is found by estimating its byte
 * position (from the stream's mean frame size, or closer, from a frame found by an earlier window
 * of this stream or at the same window of a sibling), fetching a few frames around it and picking
 * the frame header (sync code, CRC-8, frame number) with the right number. The frames of the window
 * are then fetched and decoded with every check of a full decode. Whenever the search is unsure,
 * or a candidate turns out to be a false sync match, the whole stream is fetched and decoded
 * from its first frame instead: a window costs more bytes then, never a wrong sample.
 */
import { concatBytes } from "../bytes.js";
import { InvalidStreamError } from "../errors.js";
import type { DecodeOptions, FlacDecoder } from "./decoder.js";
import { createFrameHeader, type FrameHeader, parseFrameHeader } from "./frame-header.js";
import { readStreamInfo, type StreamInfo } from "./metadata.js";

/**
 * What decodes the fetched bytes: a {@link FlacDecoder} on this thread, or one whose calls run on
 * workers ({@link workerWindowDecoder}).
 */
export interface WindowDecoder {
  decode(bytes: Uint8Array, out: Int32Array, options: DecodeOptions & { start: number; stop: number }): unknown;
  decodePart(part: Uint8Array, info: StreamInfo, out: Int32Array, options: Parameters<FlacDecoder["decodePart"]>[3]): unknown;
}

/** Bytes `[start, end)` of the stream (offsets within the stream). */
export type StreamRangeReader = (start: number, end: number) => Promise<Uint8Array>;

/** Bytes fetched first: the metadata (fLaC, STREAMINFO, Python's VORBIS_COMMENT) and the first frame's header. */
const HEAD_BYTES = 4096;
/** Tries at placing the search window before falling back to the whole stream. */
const SEARCHES = 6;
/** The second byte of a fixed-blocksize frame's sync code. */
const SYNC_BYTE_2 = 0xf8;

/** What a window read fetched, for tests and benchmarks. */
export interface StreamWindowStats {
  requests: number;
  bytes: number;
  /** Whether the search gave up and the whole stream was read. */
  wholeStream: boolean;
  /** The stream's frame layout, as found: a {@link StreamWindowOptions.hint} for its sibling streams. */
  layout?: StreamLayoutHint;
  /** The window's first frame, where it was found: a {@link StreamWindowOptions.near} for the next window of this stream. */
  found?: KnownFrame;
}

/** Where a stream's frames start and how many samples they hold, and its STREAMINFO. */
export interface StreamLayoutHint {
  firstFrameOffset: number;
  blockSize: number;
  /**
   * The STREAMINFO of the stream the hint comes from. With it, a sibling's window is read without
   * its head when the frame found carries the same format (channels, bits per sample) itself.
   */
  info?: StreamInfo;
  /**
   * Where frame `frame` of the hint's stream starts, as a fraction of the bytes of its frames.
   * Streams written together (the channels of one recording) are about as far through their
   * bytes at any one time: a sibling's frames are looked for there, in a narrower search.
   */
  anchor?: { frame: number; fraction: number };
}

/** A frame of a stream and the byte offset (in the stream) where it starts. */
export interface KnownFrame {
  frame: number;
  offset: number;
}

/** Options of {@link decodeStreamWindow}. */
export interface StreamWindowOptions {
  /** Where in `out` the window's first sample goes. */
  outOffset?: number;
  /** The stream's index, for messages. */
  stream?: number;
  /**
   * The layout of a sibling stream (written alike: Python's streams of one array): the search
   * around the window's frames is fetched at once. With the sibling's STREAMINFO the stream's head
   * is not fetched when the frame found there says the same format; otherwise it is, together
   * with the search, whose bytes are used only if the head agrees.
   */
  hint?: StreamLayoutHint;
  /**
   * A frame of this stream found by an earlier window ({@link StreamWindowStats.found}): the
   * window's frames are looked for from there, in a narrower search.
   */
  near?: KnownFrame;
}

/**
 * Decodes samples `[start, stop)` of one stream of `streamBytes` bytes and `totalSamples`
 * samples into `out` (channels interleaved, from `outOffset`), reading only ranges of it.
 * @throws {InvalidStreamError} for a corrupt stream (found by the full decode the search falls back to)
 */
export async function decodeStreamWindow(
  read: StreamRangeReader,
  streamBytes: number,
  totalSamples: number,
  start: number,
  stop: number,
  out: Int32Array,
  decoder: WindowDecoder,
  options: StreamWindowOptions = {},
): Promise<StreamWindowStats> {
  const stream = options.stream ?? -1;
  const outOffset = options.outOffset ?? 0;
  const stats: StreamWindowStats = { requests: 0, bytes: 0, wholeStream: false };
  const fetch = async (from: number, to: number) => {
    const [a, b] = [Math.max(0, from), Math.min(streamBytes, to)];
    const bytes = await read(a, b);
    // a short answer would make the search repeat forever or decode the wrong bytes
    if (bytes.length !== b - a) throw new InvalidStreamError(`the reader returned ${bytes.length} bytes for bytes [${a}, ${b})`, stream, a);
    stats.requests++;
    stats.bytes += bytes.length;
    return bytes;
  };
  const whole = async () => {
    stats.wholeStream = true;
    await decoder.decode(await fetch(0, streamBytes), out, { start, stop, outOffset, stream, totalSamples });
    return stats;
  };
  if (start >= stop) return stats;
  /**
   * Samples per frame, frame count, the window's first and last frames and bytes per frame, and
   * where frame `target` is expected: `half` either side of `estimate`.
   */
  const geometry = (firstFrameOffset: number, nominal: number) => {
    const frames = Math.ceil(totalSamples / nominal);
    const frameBytes = streamBytes - firstFrameOffset;
    const meanFrame = frameBytes / frames;
    const target = Math.floor(start / nominal);
    const lastFrame = Math.floor((stop - 1) / nominal);
    const window = lastFrame - target + 1;
    // From a frame found before, in this stream or (at the same fraction of its bytes) in a
    // sibling, the estimate is off by a small part of a frame, more the further away it was
    // found; from the mean frame size alone, by a frame or more.
    // (a frame and offset that cannot be right are left out: they come from the caller)
    const { near, hint } = options;
    const sibling = hint?.anchor;
    const anchor =
      near && isFrame(near.frame, frames) && near.offset >= firstFrameOffset && near.offset < streamBytes
        ? near
        : sibling &&
            isFrame(sibling.frame, frames) &&
            sibling.fraction >= 0 &&
            sibling.fraction < 1 &&
            hint.firstFrameOffset === firstFrameOffset &&
            hint.blockSize === nominal
          ? { frame: sibling.frame, offset: firstFrameOffset + sibling.fraction * frameBytes }
          : undefined;
    const margin = anchor ? Math.min(1.5, 0.3 + 0.02 * Math.abs(target - anchor.frame)) : 1.5;
    const estimate = anchor ? anchor.offset + (target - anchor.frame) * meanFrame : firstFrameOffset + target * meanFrame;
    return {
      frames,
      target,
      lastFrame,
      meanFrame,
      estimate: Math.min(Math.max(estimate, firstFrameOffset), streamBytes),
      half: Math.max(anchor ? 512 : 2048, Math.ceil(margin * meanFrame)),
      // the window's frames and the next frame's header, with room for frames larger than the mean
      partBytes: Math.ceil(anchor ? (window + 0.25) * meanFrame * 1.03 + 64 : (window + 0.5) * meanFrame * 1.1 + 64),
    };
  };
  /** The bytes one search fetches around `estimate`. */
  const searchRange = (g: ReturnType<typeof geometry>, estimate: number, firstFrameOffset: number) =>
    [Math.max(firstFrameOffset, Math.floor(estimate - g.half)), Math.ceil(estimate + g.half + g.partBytes)] as const;
  const { hint } = options;
  let guessed: { g: ReturnType<typeof geometry>; range: readonly [number, number]; bytes: Promise<Uint8Array> } | undefined;
  if (hint && hint.blockSize > 0 && hint.firstFrameOffset > 0 && hint.firstFrameOffset < HEAD_BYTES) {
    const g = geometry(hint.firstFrameOffset, hint.blockSize);
    if (g.target > 0 && HEAD_BYTES < streamBytes) {
      const range = searchRange(g, g.estimate, hint.firstFrameOffset);
      guessed = { g, range, bytes: fetch(range[0], range[1]) };
      guessed.bytes.catch(() => undefined); // awaited below only when the head agrees
    }
  }

  /**
   * Decodes the window from frame `target`'s header at `at`, whose bytes on from there are `part`,
   * reading on when they end before the window does; `otherwise` for a part that does not decode
   * (a false sync match, or a stream unlike its hint).
   */
  const decodeFrom = async (
    info: StreamInfo,
    nominal: number,
    partBytes: number,
    at: number,
    found: Uint8Array,
    otherwise: () => Promise<StreamWindowStats>,
  ): Promise<StreamWindowStats> => {
    // the window's frames and the next frame's header (to check that it follows on), with some slack
    let part = found.length >= partBytes ? found : await fetch(at, at + partBytes);
    let readOn = 0;
    for (;;) {
      try {
        await decoder.decodePart(part, info, out, { start, stop, nominal, totalSamples, partOffset: at, outOffset, stream });
        const frame = Math.floor(start / nominal);
        stats.found = { frame, offset: at };
        if (stats.layout) stats.layout.anchor = { frame, fraction: (at - info.firstFrameOffset) / (streamBytes - info.firstFrameOffset) };
        return stats;
      } catch (err) {
        if (!(err instanceof InvalidStreamError)) throw err;
        // too few bytes: read on, a quarter more the first time (a window a little longer than
        // estimated), then twice as much (a stream far from its estimate ends in a few reads);
        // anything else: the other way
        if (at + part.length < streamBytes && /stream ends after|runs past the end|unexpected end of stream/.test(err.reason)) {
          const more = readOn++ === 0 ? Math.max(4096, Math.ceil(part.length / 4)) : part.length;
          part = concatBytes([part, await fetch(at + part.length, at + part.length + more)]);
          continue;
        }
        return otherwise();
      }
    }
  };

  /** The window read with this stream's own metadata, found in its head. */
  const withHead = async (): Promise<StreamWindowStats> => {
    const head = await fetch(0, HEAD_BYTES);
    if (head.length === streamBytes) {
      await decoder.decode(head, out, { start, stop, outOffset, stream, totalSamples });
      return stats;
    }
    let info: StreamInfo;
    const first = createFrameHeader();
    try {
      info = readStreamInfo(head, stream);
      if (parseFrameHeader(head, info.firstFrameOffset, first) !== null || first.variableBlockSize) return whole();
    } catch {
      return whole(); // metadata longer than the head, or damaged: the full decode says which
    }
    const nominal = first.blockSize;
    stats.layout = { firstFrameOffset: info.firstFrameOffset, blockSize: nominal, info };
    const g = geometry(info.firstFrameOffset, nominal);
    const { frames, target, meanFrame, half } = g;
    const agrees = hint?.firstFrameOffset === info.firstFrameOffset && hint?.blockSize === nominal;

    /**
     * The header of frame `target`, found by a few small range reads: its byte offset in the
     * stream, and the bytes fetched from there on (the window's frames, when the estimate was good).
     */
    const locate = async (): Promise<{ at: number; bytes: Uint8Array } | undefined> => {
      if (target === 0) return { at: info.firstFrameOffset, bytes: head.subarray(info.firstFrameOffset) };
      let estimate = g.estimate;
      for (let attempt = 0; attempt < SEARCHES; attempt++) {
        const [from, to] = searchRange(g, estimate, info.firstFrameOffset);
        const bytes = attempt === 0 && guessed && agrees ? await guessed.bytes : await fetch(from, to);
        const seen = scanFrames(bytes, target, frames, nominal, info);
        if (seen.at >= 0) return { at: from + seen.at, bytes: bytes.subarray(seen.at) };
        // move the window by the frames between what was seen and the target
        if (seen.below >= 0) estimate = from + seen.belowAt + (target - seen.below) * meanFrame;
        else if (seen.above >= 0) estimate = from + seen.aboveAt - (seen.above - target) * meanFrame;
        else estimate = estimate + (attempt % 2 === 0 ? 1 : -1) * (attempt + 1) * half;
      }
      return undefined;
    };

    const found = await locate();
    if (found === undefined) return whole();
    return decodeFrom(info, nominal, g.partBytes, found.at, found.bytes, whole);
  };

  // With a sibling's STREAMINFO, frame `target` is taken from the guessed bytes without this
  // stream's head (one request, not two), when its header carries the sibling's format itself.
  const sibling = hint?.info;
  if (guessed && sibling && hint) {
    const { g } = guessed;
    const bytes = await guessed.bytes;
    const h = createFrameHeader();
    const seen = scanFrames(bytes, g.target, g.frames, hint.blockSize, sibling, h);
    if (seen.at >= 0 && h.bitsPerSample === sibling.bitsPerSample) {
      return decodeFrom(sibling, hint.blockSize, g.partBytes, guessed.range[0] + seen.at, bytes.subarray(seen.at), withHead);
    }
  }
  return withHead();
}

/** Whether `frame` can be the number of one of a stream's `frames` frames. */
function isFrame(frame: number, frames: number): boolean {
  return Number.isSafeInteger(frame) && frame >= 0 && frame < frames;
}

/** What a scan of fetched bytes saw: frame `target` at `at` (-1: not seen), else the nearest frames either side. */
interface FramesSeen {
  at: number;
  below: number;
  belowAt: number;
  above: number;
  aboveAt: number;
}

/**
 * Scans `bytes` for frame headers (sync code, CRC-8, this stream's channels, a number below
 * `frames` and the nominal block size, which only the last frame may fall short of): where frame
 * `target` starts (its header left in `h`), or else the highest-numbered frame below it and the
 * lowest above it, with their offsets in `bytes`.
 */
function scanFrames(
  bytes: Uint8Array,
  target: number,
  frames: number,
  nominal: number,
  info: StreamInfo,
  h: FrameHeader = createFrameHeader(),
): FramesSeen {
  const seen: FramesSeen = { at: -1, below: -1, belowAt: 0, above: -1, aboveAt: 0 };
  for (let p = bytes.indexOf(0xff); p >= 0 && p + 16 <= bytes.length; p = bytes.indexOf(0xff, p + 1)) {
    if (bytes[p + 1] !== SYNC_BYTE_2 || parseFrameHeader(bytes, p, h) !== null) continue;
    if (h.channels !== info.channels || h.number >= frames || (h.blockSize !== nominal && h.number !== frames - 1)) continue;
    if (h.number === target) {
      seen.at = p;
      return seen;
    }
    if (h.number < target && h.number > seen.below) [seen.below, seen.belowAt] = [h.number, p];
    if (h.number > target && (seen.above < 0 || h.number < seen.above)) [seen.above, seen.aboveAt] = [h.number, p];
  }
  return seen;
}
