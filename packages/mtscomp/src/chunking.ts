/** How mtscomp splits samples into chunks (`Writer._compute_chunk_bounds`), and the inverse lookup. */
import { InputError } from "./errors.js";

/** numpy's `np.round`: to the nearest integer, ties to even (12.5 -> 12, 13.5 -> 14). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Chunk bounds of `nSamples` samples: `chunk_size = round(chunkDuration * sampleRate)` (ties to
 * even, as numpy), all chunks full but the last.
 */
export function chunkBounds(nSamples: number, sampleRate: number, chunkDuration: number, input = "input"): number[] {
  const size = roundHalfEven(chunkDuration * sampleRate);
  if (!(size >= 1)) {
    throw new InputError(input, `chunk duration ${chunkDuration} s at ${sampleRate} Hz gives chunks of ${size} samples (need at least 1)`);
  }
  const bounds: number[] = [];
  for (let b = 0; b < nSamples; b += size) bounds.push(b);
  bounds.push(nSamples);
  return bounds;
}

/** Index of the chunk holding sample `row` (`bounds[k] <= row < bounds[k+1]`), by bisection. */
export function chunkOf(bounds: readonly number[], row: number): number {
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
