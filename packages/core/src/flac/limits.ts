/**
 * Size limits of FLAC streams, used to check sizes read from headers and tables against the
 * bytes that exist before anything is allocated for them.
 */

/** The smallest possible frame: a 6-byte header, a 2-byte CONSTANT subframe, a 2-byte CRC-16. */
const MIN_FRAME_BYTES = 10;

/** The largest block a frame can hold (header code 0xFFFF means 65536 samples). */
export const MAX_BLOCK = 65536;

/** The smallest possible stream: the `fLaC` marker and STREAMINFO, before any frame. */
export const MIN_STREAM_BYTES = 42;

/**
 * The most samples (per channel) that `frameBytes` bytes of FLAC frames can hold: every frame
 * takes at least 10 bytes and holds at most 65536 samples.
 */
export function maxSamplesIn(frameBytes: number): number {
  return Math.max(0, Math.ceil(frameBytes / MIN_FRAME_BYTES)) * MAX_BLOCK;
}
