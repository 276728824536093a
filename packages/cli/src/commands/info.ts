/** `flacarray info IN`: what a flacarray group (ours or Python's) or an mtscomp .cbin holds. */
import { statSync } from "node:fs";
import { decompress, itemsize } from "@flacarray/mtscomp/node";
import { findFlacArrayGroups, openFlacarrayGroup as openRecording } from "@flacarray/recording/node";
import { parse, UsageError } from "../cli.js";

export const INFO_USAGE = `usage: flacarray info IN.h5|IN.zarr|URL|IN.cbin [--group PATH] [--json]

Shape, dtype, sample rate, duration, compression ratio and format version. Without --group:
every flacarray group of the file or store (the root of a URL).`;

const DTYPE_BYTES: Record<string, number> = { int16: 2, int32: 4, int64: 8, float32: 4, float64: 8 };

/** Where the last stream ends: the bytes the streams take. */
function endOfStreams(starts: ArrayLike<number>, bytes: ArrayLike<number>): number {
  let end = 0;
  for (let i = 0; i < starts.length; i++) end = Math.max(end, (starts[i] as number) + (bytes[i] as number));
  return end;
}

/** The facts `info` prints, for any input. */
export async function describeInput(path: string, group = "/"): Promise<Record<string, unknown>> {
  if (/\.cbin$/i.test(path)) {
    const reader = await decompress(path);
    const raw = reader.nSamples * reader.nChannels * itemsize(reader.dtype);
    const cbin = statSync(path).size;
    await reader.close();
    return {
      path,
      format: `mtscomp ${reader.header.json.version ?? "(no version)"}`,
      shape: [reader.nSamples, reader.nChannels],
      dtype: reader.dtype,
      sampleRate: reader.sampleRate,
      duration: reader.nSamples / reader.sampleRate,
      chunks: reader.nChunks,
      rawBytes: raw,
      compressedBytes: cbin,
      ratio: raw / cbin,
    };
  }
  const rec = await openRecording(path, group);
  try {
    const { layout, info, attrs } = rec;
    const shape = [...layout.leadingShape, layout.streamSize];
    const facts: Record<string, unknown> = {
      path,
      group,
      format: `flacarray ${layout.formatVersion === 1 ? '"1"' : "0"} (written by ${attrs.flacarray_software_version ?? "?"})`,
      shape,
      dtype: layout.dtype,
      compressedBytes: endOfStreams(layout.starts, layout.bytes),
    };
    if (info) {
      const raw = info.nSamples * info.nChannels * (info.dtype === "int16" ? 2 : 4);
      Object.assign(facts, {
        recording: {
          samples: info.nSamples,
          channels: info.nChannels,
          dtype: info.dtype,
          chunkSamples: info.chunkSamples,
          spikeglxMeta: info.meta !== undefined,
          ...(info.bitVolts ? { bitVolts: [...new Set(info.bitVolts)] } : {}),
          ...(info.channelNames ? { channelNames: info.channelNames.length } : {}),
        },
        sampleRate: info.sampleRate,
        duration: info.nSamples / info.sampleRate,
        rawBytes: raw,
        ratio: raw / (facts.compressedBytes as number),
      });
    } else {
      const raw = shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[layout.dtype] ?? 4);
      Object.assign(facts, { rawBytes: raw, ratio: raw / (facts.compressedBytes as number) });
    }
    return facts;
  } finally {
    await rec.close();
  }
}

/**
 * The groups `info` and `ls` describe: the one asked for; else every flacarray group of a local
 * file or store (the root among them); else the root (a URL cannot be listed), which says why
 * it is not a flacarray when it is none.
 */
export async function groupsToDescribe(path: string, group: string | undefined): Promise<(string | undefined)[]> {
  if (group !== undefined || /\.cbin$/i.test(path)) return [group];
  const found = /^https?:/i.test(path) ? [] : await findFlacArrayGroups(path);
  return found.length > 0 ? found : [undefined];
}

/** The info command. */
export async function infoCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { group: { type: "string" }, json: { type: "boolean" }, debug: { type: "boolean" } },
    INFO_USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(INFO_USAGE);
  const path = positionals[0] as string;
  const all: Record<string, unknown>[] = [];
  for (const group of await groupsToDescribe(path, values.group)) all.push(await describeInput(path, group));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(all.length === 1 ? all[0] : all)}\n`);
    return;
  }
  for (const facts of all) {
    for (const [key, value] of Object.entries(facts)) {
      const text =
        typeof value === "number" && !Number.isInteger(value)
          ? value.toFixed(4)
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
      process.stdout.write(`${key.padEnd(16)}${text}${key === "duration" ? " s" : ""}\n`);
    }
    if (all.length > 1) process.stdout.write("\n");
  }
}
