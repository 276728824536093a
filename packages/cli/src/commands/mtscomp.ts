/**
 * `mtscomp`, `mtsdecomp` and `mtsdesc` with Python mtscomp 1.0.2's arguments and defaults,
 * including its settings file `~/.mtscomp`. Additions: `-f` on mtscomp too (outputs are never
 * overwritten silently), and a one-line error instead of a traceback unless `-v`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, homedir } from "node:os";
import { extname, join } from "node:path";
import {
  compress,
  DTYPES,
  type Dtype,
  decompress,
  isDtype,
  itemsize,
  type PythonJsonValue,
  pythonJson,
  withSuffix,
} from "@flacarray/mtscomp/node";
import { numberOf, parse, UsageError } from "../cli.js";
import { progressBar } from "../progress.js";

/** Python's `-nc` is two letters: node's parser takes it as `-n -c`. */
const longNoCheck = (argv: string[]) => argv.map((a) => (a === "-nc" ? "--no-check" : a));

/** `~/.mtscomp` (Python's `read_config`): defaults, then the file. */
function readConfig(): Record<string, unknown> {
  const defaults = {
    algorithm: "zlib",
    cache_size: 10,
    check_after_compress: true,
    check_after_decompress: true,
    chunk_duration: 1.0,
    chunk_order: "F",
    comp_level: -1,
    do_spatial_diff: false,
    do_time_diff: true,
    n_threads: cpus().length,
  };
  const path = join(homedir(), ".mtscomp");
  if (!existsSync(path)) return defaults;
  try {
    return { ...defaults, ...JSON.parse(readFileSync(path, "utf8")) };
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

const MTSCOMP_USAGE = `usage: mtscomp path [out] [outmeta] [-d DTYPE] [-s SAMPLE_RATE] [-n N_CHANNELS] [-c CHUNK] [-p CPUS]
               [-nc] [-v] [--set-default] [-f]

Compresses a raw data file into path.cbin (or out) and path.ch (or outmeta).
  -d DTYPE        sample dtype (${DTYPES.join(", ")})
  -s SAMPLE_RATE  sample rate (Hz)
  -n N_CHANNELS   number of channels
  -c CHUNK        chunk duration in seconds (an integer, as in Python)
  -p CPUS         chunks compressed at once
  -nc             do not check the compressed file
  --set-default   save -d/-s/-n/-c/-p/-nc as defaults in ~/.mtscomp
  -f              replace existing outputs
  -v              print the stack of errors`;

/** The mtscomp command. */
export async function mtscompCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    longNoCheck(argv),
    {
      d: { type: "string", short: "d" },
      s: { type: "string", short: "s" },
      n: { type: "string", short: "n" },
      c: { type: "string", short: "c" },
      p: { type: "string", short: "p" },
      "no-check": { type: "boolean" },
      "set-default": { type: "boolean" },
      overwrite: { type: "boolean", short: "f" },
      debug: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    },
    MTSCOMP_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${MTSCOMP_USAGE}\n`);
    return;
  }
  const [path, out, outmeta] = positionals;
  if (!path || positionals.length > 3) throw new UsageError(MTSCOMP_USAGE);
  const config = readConfig();
  const given: Record<string, unknown> = {};
  if (values.d !== undefined) given.dtype = values.d;
  if (values.s !== undefined) given.sample_rate = numberOf(values.s, "-s");
  if (values.n !== undefined) given.n_channels = numberOf(values.n, "-n", true);
  if (values.c !== undefined) given.chunk_duration = numberOf(values.c, "-c", true);
  if (values.p !== undefined) given.n_threads = numberOf(values.p, "-p", true);
  if (values["no-check"]) given.check_after_compress = false;
  const settings = { ...config, ...given };
  if (values["set-default"]) writeFileSync(join(homedir(), ".mtscomp"), pythonJson(settings as Record<string, PythonJsonValue>));
  const dtype = settings.dtype;
  if (dtype === undefined) throw new UsageError("please provide the data type (-d)");
  if (!isDtype(dtype)) throw new UsageError(`-d ${dtype}: expected one of ${DTYPES.join(", ")}`);
  if (settings.sample_rate === undefined) throw new UsageError("please provide the sample rate (-s)");
  if (settings.n_channels === undefined) throw new UsageError("please provide the number of channels (-n)");
  const cbin = out ?? withSuffix(path, `.c${extname(path).slice(1)}`);
  const rawBytes = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  const progress = progressBar("Compressing", rawBytes); // in bytes of raw data, so the bar's MB/s are right
  await compress(path, cbin, outmeta ?? withSuffix(path, ".ch"), {
    dtype: dtype as Dtype,
    sampleRate: Number(settings.sample_rate),
    nChannels: Number(settings.n_channels),
    chunkDuration: Number(settings.chunk_duration),
    chunkOrder: settings.chunk_order as "F" | "C",
    compLevel: Number(settings.comp_level),
    doTimeDiff: Boolean(settings.do_time_diff),
    doSpatialDiff: Boolean(settings.do_spatial_diff),
    workers: Number(settings.n_threads),
    check: Boolean(settings.check_after_compress),
    overwrite: values.overwrite ?? false,
    onProgress: (done, total) => progress.update((rawBytes * done) / total),
  });
  progress.end();
}

const MTSDECOMP_USAGE = `usage: mtsdecomp cdata [cmeta] [-o OUT] [-f] [-nc] [-v] [-p CPUS]

Decompresses cdata (and its cmeta, default cdata with .ch) into OUT (default cdata with .bin).
  -f   replace an existing output     -nc  skip the SHA-1 check of the output
  -p   chunks decompressed at once    -v   print the stack of errors`;

/** The mtsdecomp command. */
export async function mtsdecompCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    longNoCheck(argv),
    {
      out: { type: "string", short: "o" },
      overwrite: { type: "boolean", short: "f" },
      "no-check": { type: "boolean" },
      debug: { type: "boolean", short: "v" },
      p: { type: "string", short: "p" },
      help: { type: "boolean", short: "h" },
    },
    MTSDECOMP_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${MTSDECOMP_USAGE}\n`);
    return;
  }
  const [cdata, cmeta] = positionals;
  if (!cdata || positionals.length > 2) throw new UsageError(MTSDECOMP_USAGE);
  const config = readConfig();
  const reader = await decompress(cdata, cmeta);
  const rowBytes = reader.nChannels * itemsize(reader.dtype);
  const progress = progressBar("Decompressing", reader.nSamples * rowBytes); // in bytes, so the bar's MB/s are right
  try {
    await reader.toFile(values.out ?? withSuffix(cdata, ".bin"), {
      overwrite: values.overwrite ?? false,
      concurrency: numberOf(values.p, "-p", true) ?? Number(config.n_threads),
      check: !values["no-check"] && config.check_after_decompress !== false,
      onProgress: (done) => progress.update((reader.header.chunkBounds[done] as number) * rowBytes),
    });
  } finally {
    progress.end();
    await reader.close();
  }
}

const MTSDESC_USAGE = `usage: mtsdesc cdata [cmeta]

Describes a compressed file (cdata, with its cmeta, default cdata with .ch) as Python's mtsdesc.`;

/** The mtsdesc command: Python's description of a compressed file. */
export async function mtsdescCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { debug: { type: "boolean", short: "v" }, help: { type: "boolean", short: "h" } },
    MTSDESC_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${MTSDESC_USAGE}\n`);
    return;
  }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(MTSDESC_USAGE);
  // given only the .ch, describe the .cbin beside it
  const [cdata, cmeta] =
    positionals.length === 1 && /\.ch$/i.test(positionals[0]) ? [withSuffix(positionals[0], ".cbin"), positionals[0]] : positionals;
  const reader = await decompress(cdata, cmeta);
  const bounds = reader.header.chunkBounds;
  const lines: [string, string | number][] = [
    ["dtype", reader.dtype],
    ["sample_rate", reader.sampleRate],
    ["n_channels", reader.nChannels],
    ["duration", `${(reader.nSamples / reader.sampleRate).toFixed(1)}s`],
    ["n_samples", reader.nSamples],
    ["chunk_duration", `${((bounds.at(-1) as number) / reader.nChunks / reader.sampleRate).toFixed(1)}s`],
    ["n_chunks", reader.nChunks],
  ];
  await reader.close();
  for (const [k, v] of lines) process.stdout.write(`${k.padEnd(15)}${v}\n`);
}
