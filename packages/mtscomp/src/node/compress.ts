/** Compressing raw files (or arrays) to `.cbin` + `.ch` files, safely, with node:zlib. */
import { open, writeFile } from "node:fs/promises";
import { writeOutputs } from "@flacarray/core/node";
import { type Dtype, itemsize, type SampleArray, samplesOf } from "../dtype.js";
import { InputError } from "../errors.js";
import { parseHeader } from "../header.js";
import { arraySource, withSuffix } from "../open.js";
import {
  type CompressOptions,
  type CompressResult,
  checkCompressed,
  compressChunks,
  resolveOptions,
  type SampleSource,
} from "../writer.js";
import { nodeBackend } from "./backend.js";
import { fileSource } from "./files.js";
import { NodeReader } from "./reader.js";

/** An array in memory and its numpy shape (the last axis is channels). */
export interface ArrayInput {
  data: SampleArray;
  shape: readonly number[];
}

/** {@link CompressOptions} plus replacing existing outputs. */
export interface NodeCompressOptions extends CompressOptions {
  /** Replace existing `.cbin`/`.ch` files. Default false. */
  overwrite?: boolean;
}

/** A raw interleaved file of `dtype` samples and `nChannels` columns, read by rows. */
export async function rawFileSource(path: string, nChannels: number | undefined, dtype: Dtype | undefined): Promise<SampleSource> {
  if (dtype === undefined) throw new InputError(path, "the dtype is required for raw files (mtscomp -d)");
  if (!(Number.isInteger(nChannels) && (nChannels as number) > 0))
    throw new InputError(path, `nChannels must be a positive integer (mtscomp -n), found ${nChannels}`);
  const channels = nChannels as number;
  const bytes = await fileSource(path);
  const frame = channels * itemsize(dtype);
  const size = bytes.size as number;
  if (size % frame !== 0) {
    throw new InputError(
      path,
      `the file size (${size} bytes) is incompatible with the specified parameters (n_channels=${channels}, dtype=${dtype}): not a multiple of ${frame} bytes`,
    );
  }
  const nSamples = size / frame;
  return {
    name: path,
    dtype,
    nSamples,
    nChannels: channels,
    shape: [nSamples, channels],
    // the file source reads into a fresh, aligned buffer: the samples are a view of it, no copy
    read: async (first, count) => samplesOf(dtype, await bytes.read(first * frame, count * frame)),
    close: () => bytes.close(),
  };
}

/**
 * Compresses a raw file, an array or any {@link SampleSource} into `cbinPath` and `chPath` (default: `cbinPath` ending in
 * `.ch`), exactly in mtscomp's layout. Both are written under temporary names; with `check`
 * (the default) the written data are decompressed and compared with the source before the
 * files get their names, so a failed check leaves no output behind.
 * @throws {InputError} on unusable input or options; {@link CheckFailedError} when the check fails
 */
export async function compress(
  input: string | ArrayInput | SampleSource,
  cbinPath: string,
  chPath = withSuffix(cbinPath, ".ch"),
  options: NodeCompressOptions,
): Promise<CompressResult> {
  const source =
    typeof input === "string"
      ? await rawFileSource(input, options.nChannels, options.dtype)
      : "read" in input
        ? input
        : arraySource(input.data, input.shape, options.dtype);
  try {
    return await writeCompressed(source, cbinPath, chPath, options);
  } finally {
    await source.close?.();
  }
}

async function writeCompressed(
  source: SampleSource,
  cbinPath: string,
  chPath: string,
  options: NodeCompressOptions,
): Promise<CompressResult> {
  const resolved = resolveOptions(source, options);
  return writeOutputs(
    [cbinPath, chPath],
    async ([cbinTemp, chTemp]) => {
      const cbin = await open(cbinTemp as string, "w");
      let result: CompressResult;
      try {
        result = await compressChunks(source, options, nodeBackend, async (stream) => {
          await cbin.write(stream);
        });
      } finally {
        await cbin.close();
      }
      await writeFile(chTemp as string, result.header);
      if (resolved.check) {
        const reader = new NodeReader(await fileSource(cbinTemp as string), parseHeader(result.header, chTemp as string), {
          backend: nodeBackend,
        });
        try {
          await checkCompressed(reader, source, resolved.workers);
        } finally {
          await reader.close();
        }
      }
      return result;
    },
    { force: options.overwrite ?? false, inputs: [source.name] }, // a source that is a file is never replaced
  );
}
