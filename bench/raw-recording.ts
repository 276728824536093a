// A long Neuropixels-like raw recording for the benchmarks of whole files: 10 distinct generated
// seconds, repeated with a per-repeat offset, written as interleaved int16 (a SpikeGLX .bin).
import { closeSync, openSync, writeSync } from "node:fs";
import { neuropixelsLike } from "./neuropixels-like.js";

/** Seconds generated; longer recordings repeat them. */
const DISTINCT = 10;

/** Writes `seconds` of `channels` x `rate` Hz int16 samples, time-major, to `path`. */
export function writeNeuropixelsBin(path: string, seconds: number, channels: number, rate: number): void {
  const distinct = Math.min(DISTINCT, seconds);
  const source = neuropixelsLike(channels, distinct * rate, 42);
  const rows = new Int16Array(rate * channels);
  const fd = openSync(path, "w");
  try {
    for (let k = 0; k < seconds; k++) {
      const base = (k % distinct) * rate;
      for (let c = 0; c < channels; c++)
        for (let s = 0; s < rate; s++)
          rows[s * channels + c] = (source[c * distinct * rate + base + s] as number) + Math.floor(k / distinct);
      writeSync(fd, rows);
    }
  } finally {
    closeSync(fd);
  }
}
