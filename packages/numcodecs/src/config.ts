import { UnsupportedCodecError } from "./errors.js";

/** A numcodecs "wavpack" config, as wavpack-numcodecs 0.2.3 writes it in `.zarray`. */
export interface WavpackConfig {
  readonly id: "wavpack";
  /** 1-4: fast, default, high, very high (encoding only). */
  readonly level?: number;
  /** 0 for lossless, else hybrid lossy bits per sample (encoding only). */
  readonly bps?: number;
  readonly dynamic_noise_shaping?: boolean;
  readonly shaping_weight?: number;
  readonly num_encoding_threads?: number;
  readonly num_decoding_threads?: number;
}

/** A numcodecs "flac" config, as flac-numcodecs 0.1.2 writes it. */
export interface FlacConfig {
  readonly id: "flac";
  /** libFLAC compression level 0-8. Default 5. */
  readonly level?: number;
  /** Samples per frame, or null for flac-numcodecs' rule. */
  readonly blocksize?: number | null;
  /** Sample rate written in the stream (not the recording's). Default 48000. */
  readonly sample_rate?: number;
  readonly tmpdir?: string | null;
}

/** Any config {@link getCodec} accepts. */
export type NumcodecsConfig = WavpackConfig | FlacConfig;

/** Checks a config read from JSON and returns it typed; unknown ids and bad values are errors. */
export function parseConfig(config: unknown): NumcodecsConfig {
  if (typeof config !== "object" || config === null)
    throw new UnsupportedCodecError(String(config), "a codec config must be an object with an id");
  const { id } = config as { id?: unknown };
  if (id === "wavpack") return config as WavpackConfig;
  if (id !== "flac") throw new UnsupportedCodecError(String(id), 'this package provides "wavpack" and "flac"');
  const flac = config as FlacConfig;
  const level = flac.level ?? 5;
  if (!Number.isInteger(level) || level < 0 || level > 8) throw new UnsupportedCodecError("flac", `level ${level}, expected 0-8`);
  const rate = flac.sample_rate ?? 48000;
  if (!Number.isInteger(rate) || rate < 1 || rate > 655350)
    throw new UnsupportedCodecError("flac", `sample_rate ${rate}, expected 1-655350`);
  const block = flac.blocksize;
  if (block !== undefined && block !== null && !(Number.isInteger(block) && block >= 16 && block <= 65535))
    throw new UnsupportedCodecError("flac", `blocksize ${block}, expected null or 16-65535`);
  return flac;
}
