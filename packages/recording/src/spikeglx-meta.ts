/** SpikeGLX `.meta` files: `key=value` lines beside each `.bin` (and each IBL `.cbin`). */

/** What a `.meta` says of its recording. */
export interface SpikeGlxParameters {
  nChannels?: number;
  sampleRate?: number;
}

/** The most channels a `.meta` may give: SpikeGLX saves at most a few thousand; more is a damaged file. */
export const MAX_CHANNELS = 65536;

/**
 * The recording parameters in a `.meta` text: `nSavedChans`, and `imSampRate` (imec probes) or
 * `niSampRate` (NI-DAQ). A value that is not a channel count (1 to {@link MAX_CHANNELS}) or a
 * rate (0 to 1e8 Hz) is left out.
 */
export function parseMeta(text: string): SpikeGlxParameters {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq).replace(/^~/, "").trim(), line.slice(eq + 1).trim());
  }
  const num = (key: string, ok: (v: number) => boolean) => {
    const v = Number(values.get(key));
    return values.has(key) && ok(v) ? v : undefined;
  };
  const isCount = (v: number) => Number.isSafeInteger(v) && v >= 1 && v <= MAX_CHANNELS;
  const isRate = (v: number) => v > 0 && v <= 1e8;
  return { nChannels: num("nSavedChans", isCount), sampleRate: num("imSampRate", isRate) ?? num("niSampRate", isRate) };
}
