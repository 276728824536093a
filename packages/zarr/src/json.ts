import { InvalidFormatError } from "@flacarray/core";
import type { AbsolutePath } from "@zarrita/storage";
import type { StrictStore } from "./location.js";

/** Reads and parses a JSON document of a store, or returns null when it is absent. */
export async function readJson(store: StrictStore, key: AbsolutePath): Promise<Record<string, unknown> | null> {
  const bytes = await store.get(key);
  if (bytes === undefined) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new InvalidFormatError(`${store.name}${key}`, `is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** `/a/b` + `c` → `/a/b/c`. */
export function join(path: string, name: string): AbsolutePath {
  return `${path.replace(/\/$/, "")}/${name}` as AbsolutePath;
}
