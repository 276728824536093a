import { type NumcodecsConfig, parseConfig } from "./config.js";
import { FlacCodec } from "./flac-codec.js";
import { WavpackCodec } from "./wavpack-codec.js";

/** A codec {@link getCodec} returns. */
export type NumcodecsCodec = WavpackCodec | FlacCodec;

/**
 * The codec for a numcodecs config, as numcodecs' `get_codec` does: `{ id: "wavpack", … }`
 * or `{ id: "flac", … }`, e.g. the `compressor` of a `.zarray`.
 * @throws {UnsupportedCodecError} for another id or an invalid value
 * @example
 * const codec = getCodec({ id: "wavpack", level: 2, bps: 0 });
 * const bytes = codec.decode(chunk);
 */
export function getCodec(config: NumcodecsConfig | Record<string, unknown>): NumcodecsCodec {
  const parsed = parseConfig(config);
  return parsed.id === "wavpack" ? new WavpackCodec(parsed) : new FlacCodec(parsed);
}
