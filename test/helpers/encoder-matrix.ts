/**
 * The encoder test matrix: signals that exercise every subframe kind and bit depth, at every
 * level, mono and stereo, at lengths around the block sizes. The fast suite decodes each stream
 * with our decoder; test/heavy checks each one with the reference `flac -d` too.
 */
import { mulberry32, neuropixelsLike } from "../../bench/neuropixels-like.js";

/** A signal of `n` samples. */
export type Signal = (n: number, rand: () => number) => Int32Array;

const SIGNALS: Record<string, Signal> = {
  neuropixels: (n) => neuropixelsLike(1, n, 7),
  constant: (n) => new Int32Array(n).fill(-12345),
  zeros: (n) => new Int32Array(n),
  extremes: (n) => Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2147483647 : i % 3 === 1 ? -2147483648 : 0)),
  fullRangeRandom: (n, r) => Int32Array.from({ length: n }, () => (r() * 4294967296) | 0),
  wastedBits: (n, r) => Int32Array.from({ length: n }, () => Math.round((r() - 0.5) * 2000) * 64),
  int8Range: (n, r) => Int32Array.from({ length: n }, () => Math.round((r() - 0.5) * 250)),
  int24Ramp: (n) => Int32Array.from({ length: n }, (_, i) => ((i * 3001) % 16000000) - 8000000),
  sineLarge: (n) => Int32Array.from({ length: n }, (_, i) => Math.round(2e9 * Math.sin(i / 50))),
};

/** `[signal name, level, signal]` for every signal and level 0-8. */
export const ENCODER_MATRIX: [string, number, Signal][] = Object.entries(SIGNALS).flatMap(([name, signal]) =>
  [0, 1, 2, 3, 4, 5, 6, 7, 8].map((level) => [name, level, signal] as [string, number, Signal]),
);

const LENGTHS = [1, 2, 5, 17, 1152, 1153, 4096, 4097, 10000];

/** The streams of one matrix case: mono and stereo of every length. */
export function* matrixStreams(signal: Signal, level: number): Generator<{ samples: Int32Array; channels: 1 | 2; n: number }> {
  for (const n of LENGTHS) {
    const rand = mulberry32(n * 31 + level);
    const mono = signal(n, rand);
    const right = signal(n, mulberry32(n)).map((v) => v >> 3);
    const left = signal(n, rand);
    const stereo = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      stereo[2 * i] = left[i];
      stereo[2 * i + 1] = right[i];
    }
    yield { samples: mono, channels: 1, n };
    yield { samples: stereo, channels: 2, n };
  }
}
