import { createFrameHeader, type FrameHeader, parseFrameHeader } from "./frame-header.js";
import type { StreamInfo } from "./metadata.js";

/** Below this many bytes between the bounds, the search walks frame headers one by one. */
const LINEAR_SPAN = 16384;

/**
 * Finds the frame that holds sample `target` by parsing frame headers only: bisection over
 * byte offsets (from the SEEKTABLE's best point when there is one), then a short walk.
 * A header found by scanning could be a false sync match, so the caller verifies by decoding
 * (CRC-16) and falls back to decoding from the first frame.
 * @param total - samples in the stream, or 0 when unknown
 * @returns the frame's header, or null when none was found
 */
export function locateFrame(bytes: Uint8Array, info: StreamInfo, target: number, total: number): FrameHeader | null {
  const first = createFrameHeader();
  if (parseFrameHeader(bytes, info.firstFrameOffset, first) !== null) return null;
  const blockSize = info.minBlockSize === info.maxBlockSize && info.maxBlockSize >= 16 ? info.maxBlockSize : first.blockSize;
  const sampleOf = (h: FrameHeader) => (h.variableBlockSize ? h.number : h.number * blockSize);
  const accept = (h: FrameHeader) =>
    h.channels === info.channels &&
    h.variableBlockSize === first.variableBlockSize &&
    (h.bitsPerSample === 0 || h.bitsPerSample === info.bitsPerSample) &&
    (total <= 0 || sampleOf(h) < total);
  const next = (from: number, limit: number): FrameHeader | null => {
    const syncByte2 = first.variableBlockSize ? 0xf9 : 0xf8;
    for (let p = bytes.indexOf(0xff, from); p >= 0 && p < limit; p = bytes.indexOf(0xff, p + 1)) {
      if (bytes[p + 1] !== syncByte2) continue;
      const h = createFrameHeader();
      if (parseFrameHeader(bytes, p, h) === null && accept(h)) return h;
    }
    return null;
  };

  let lo: FrameHeader = first;
  for (const point of info.seekPoints) {
    if (point.sample > target) break;
    const h = createFrameHeader();
    if (parseFrameHeader(bytes, info.firstFrameOffset + point.byteOffset, h) === null && accept(h) && sampleOf(h) === point.sample) lo = h;
  }
  let hi = bytes.length;
  while (hi - lo.offset > LINEAR_SPAN) {
    const mid = lo.offset + Math.floor((hi - lo.offset) / 2);
    const h = next(mid, hi);
    if (h === null || sampleOf(h) > target) hi = mid;
    else if (sampleOf(h) <= sampleOf(lo))
      hi = mid; // out of order: a false match
    else lo = h;
  }
  for (;;) {
    if (sampleOf(lo) + lo.blockSize > target) return lo;
    const h = next(lo.offset + 1, bytes.length);
    if (h === null || sampleOf(h) > target || sampleOf(h) <= sampleOf(lo)) return lo;
    lo = h;
  }
}
