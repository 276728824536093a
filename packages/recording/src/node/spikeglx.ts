/** SpikeGLX `.meta` files beside `.bin`/`.cbin` files on disk. */
import { existsSync, readFileSync } from "node:fs";
import { withSuffix } from "@flacarray/mtscomp";
import { parseMeta, type SpikeGlxParameters } from "../spikeglx-meta.js";

/** The `.meta` beside `path`, its text and the recording parameters it gives. */
export interface SpikeGlxMeta extends SpikeGlxParameters {
  path: string;
  text: string;
}

/** Reads the `.meta` beside a `.bin`/`.cbin`, if there is one. */
export function findMeta(path: string): SpikeGlxMeta | undefined {
  const metaPath = withSuffix(path, ".meta");
  if (!existsSync(metaPath)) return undefined;
  const text = readFileSync(metaPath, "utf8");
  return { path: metaPath, text, ...parseMeta(text) };
}
