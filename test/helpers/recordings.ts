import { writeFileSync } from "node:fs";
import { join } from "node:path";
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

/** Bytes of one record of a legacy Open Ephys `.continuous` file (1024 samples). */
export const LEGACY_RECORD_BYTES = 2070;

/**
 * A legacy Open Ephys recording: one `<prefix><name>.continuous` file per channel, written as
 * the GUI writes them (1024-byte text header; records of LE int64 timestamp, uint16 1024, uint16
 * recording number, 1024 big-endian int16, marker 0..8,255). Returns the rows (samples x
 * channels) in the order of `names`.
 */
export function writeLegacyOpenEphys(
  folder: string,
  prefix: string,
  names: string[],
  records: number,
  options: { sampleRate?: number; bitVolts?: number; seed?: number; firstTimestamp?: number } = {},
): Int16Array {
  const n = names.length;
  const samples = records * 1024;
  const channelMajor = neuropixelsLike(n, samples, options.seed ?? 4);
  names.forEach((name, c) => {
    const header = [
      "header.format = 'Open Ephys Data Format'; ",
      "header.version = 0.4;",
      "header.header_bytes = 1024;",
      `header.channel = '${name}';`,
      "header.channelType = 'Continuous';",
      `header.sampleRate = ${options.sampleRate ?? 30000};`,
      "header.blockLength = 1024;",
      "header.bufferSize = 1024;",
      `header.bitVolts = ${options.bitVolts ?? 0.195};`,
    ]
      .join("\n")
      .padEnd(1024, " ");
    const file = Buffer.alloc(1024 + records * LEGACY_RECORD_BYTES);
    file.write(header, 0, "latin1");
    for (let r = 0; r < records; r++) {
      const at = 1024 + r * LEGACY_RECORD_BYTES;
      file.writeBigInt64LE(BigInt((options.firstTimestamp ?? 5000) + r * 1024), at);
      file.writeUInt16LE(1024, at + 8);
      file.writeUInt16LE(0, at + 10);
      for (let s = 0; s < 1024; s++) file.writeInt16BE(channelMajor[c * samples + r * 1024 + s] as number, at + 12 + 2 * s);
      file.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 255], at + LEGACY_RECORD_BYTES - 10);
    }
    writeFileSync(join(folder, `${prefix}${name}.continuous`), file);
  });
  const rows = new Int16Array(samples * n);
  for (let c = 0; c < n; c++) for (let s = 0; s < samples; s++) rows[s * n + c] = channelMajor[c * samples + s] as number;
  return rows;
}

/** Rows `[start, stop)` of `channels`, from interleaved rows of `nChannels` columns. */
export function pickRows(rows: Int16Array, nChannels: number, start: number, stop: number, channels: number[]): Int16Array {
  const width = channels.length;
  return Int16Array.from(
    { length: (stop - start) * width },
    (_, i) => rows[(start + Math.floor(i / width)) * nChannels + (channels[i % width] as number)] as number,
  );
}

/** Channel-major values (`a[channels, start:stop]`, as Python's windows) as time-major rows. */
export function timeMajor(channelMajor: Int32Array, width: number): Int32Array {
  const m = channelMajor.length / width;
  return Int32Array.from({ length: channelMajor.length }, (_, i) => channelMajor[(i % width) * m + Math.floor(i / width)] as number);
}
