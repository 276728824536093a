import { writeFileSync } from "node:fs";
import { neuropixelsLike } from "../../bench/neuropixels-like.js";

/** A Neuropixels-like recording as a raw interleaved file (samples x channels) of int16 or int32. */
export function writeRawRecording(
  path: string,
  nSamples: number,
  nChannels: number,
  dtype: "int16" | "int32" = "int16",
  seed = 3,
): Int16Array | Int32Array {
  const channelMajor = neuropixelsLike(nChannels, nSamples, seed);
  const rows = dtype === "int16" ? new Int16Array(nSamples * nChannels) : new Int32Array(nSamples * nChannels);
  const scale = dtype === "int32" ? 40000 : 1; // int32: values beyond the int16 range
  for (let c = 0; c < nChannels; c++)
    for (let s = 0; s < nSamples; s++) rows[s * nChannels + c] = (channelMajor[c * nSamples + s] as number) * scale;
  writeFileSync(path, rows);
  return rows;
}
