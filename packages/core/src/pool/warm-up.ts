/**
 * A worker's first minutes of work, done at its start: the first job of a fresh worker ran at a
 * third of the speed of the next ones (its WebAssembly kernel compiled on first use, its code not
 * yet optimised), and a viewer's first window waited for it. Decoding a small stream a few times
 * while the page or command is still setting up makes that job as fast as the others.
 */
import { FlacDecoder } from "../flac/decoder.js";
import { FlacEncoder } from "../flac/encoder.js";

/** Samples of the warm-up stream: 8 frames of 4096. */
const SAMPLES = 8 * 4096;
/** Times it is decoded. */
const ROUNDS = 6;

/** Encodes a small noisy sine, then decodes it {@link ROUNDS} times. */
export function warmUp(): void {
  const samples = new Int32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) samples[i] = Math.round(2000 * Math.sin(i / 9)) + ((i * 7919) % 97) - 48;
  const stream = new FlacEncoder({ level: 5 }).encode(samples, 1);
  const decoder = new FlacDecoder();
  const out = new Int32Array(SAMPLES);
  for (let k = 0; k < ROUNDS; k++) decoder.decode(stream, out);
}
