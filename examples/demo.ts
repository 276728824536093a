// Compress one second of a Neuropixels-like recording (385 channels x 30 kHz, int16 values)
// and read a few channels of a short window back.
import { FlacArray } from "@flacarray/core";
import { neuropixelsLike } from "../bench/neuropixels-like.js";

const channels = 385;
const samples = 30000;
const data = neuropixelsLike(channels, samples); // Int32Array, one row per channel

const t0 = performance.now();
const fa = FlacArray.fromArray({ data, shape: [channels, samples] }, { level: 5 });
const ms = performance.now() - t0;

const rawBytes = channels * samples * 2; // the recording's int16 size
console.log(`compressed ${channels} x ${samples} int16 samples: ${(rawBytes / 1e6).toFixed(1)} MB -> ${(fa.nbytes / 1e6).toFixed(2)} MB`);
console.log(`compression ratio ${(rawBytes / fa.nbytes).toFixed(3)} (vs int16), in ${ms.toFixed(0)} ms including verification`);

// channels 100-102, samples 1000-1007: decodes only those three streams, from the frame holding sample 1000
const keep = Array.from({ length: channels }, (_, c) => c >= 100 && c < 103);
const { data: slice, shape } = fa.toArray({ keep, streamSlice: [1000, 1008] });
console.log(`decoded slice, shape [${shape}]:`);
for (let r = 0; r < shape[0]; r++) console.log(`  channel ${100 + r}: ${Array.from(slice.subarray(r * 8, r * 8 + 8)).join(" ")}`);

// lossless: the slice equals the input
for (let r = 0; r < 3; r++) {
  for (let i = 0; i < 8; i++) {
    if (slice[r * 8 + i] !== data[(100 + r) * samples + 1000 + i]) throw new Error("decoded slice differs from the input");
  }
}
console.log("slice matches the input exactly");
