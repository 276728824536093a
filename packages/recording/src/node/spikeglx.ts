/** SpikeGLX `.meta` files: `key=value` lines beside each `.bin` (and each IBL `.cbin`). */
import { existsSync, readFileSync } from "node:fs";
import { withSuffix } from "@flacarray/mtscomp";

/** The `.meta` beside `path`, its text and the recording parameters it gives. */
export interface SpikeGlxMeta {
  path: string;
  text: string;
  nChannels?: number;
  sampleRate?: number;
}

/** Reads the `.meta` beside a `.bin`/`.cbin`, if there is one. */
export function findMeta(path: string): SpikeGlxMeta | undefined {
  const metaPath = withSuffix(path, ".meta");
  if (!existsSync(metaPath)) return undefined;
  const text = readFileSync(metaPath, "utf8");
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq).replace(/^~/, "").trim(), line.slice(eq + 1).trim());
  }
  const num = (key: string) => (values.has(key) ? Number(values.get(key)) : undefined);
  // imSampRate for imec probes, niSampRate for NI-DAQ
  return { path: metaPath, text, nChannels: num("nSavedChans"), sampleRate: num("imSampRate") ?? num("niSampRate") };
}
