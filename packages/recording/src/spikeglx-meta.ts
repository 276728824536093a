/** SpikeGLX `.meta` files: `key=value` lines beside each `.bin` (and each IBL `.cbin`). */

/** What a `.meta` says of its recording. */
export interface SpikeGlxParameters {
  nChannels?: number;
  sampleRate?: number;
}

/** The recording parameters in a `.meta` text: `nSavedChans`, and `imSampRate` (imec probes) or `niSampRate` (NI-DAQ). */
export function parseMeta(text: string): SpikeGlxParameters {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq).replace(/^~/, "").trim(), line.slice(eq + 1).trim());
  }
  const num = (key: string) => (values.has(key) ? Number(values.get(key)) : undefined);
  return { nChannels: num("nSavedChans"), sampleRate: num("imSampRate") ?? num("niSampRate") };
}
