/**
 * Metadata requested together. Opening a flacarray group through zarrita asks for its metadata
 * documents one after another (the group's two, then each array's), five round trips over HTTP
 * before the first stream table. Which documents come next is known (and where the stream tables
 * most likely start), so they are requested together, and each `get` takes its answer from the
 * request in flight.
 */
import type { AbsolutePath } from "@zarrita/storage";
import type * as zarr from "zarrita";
import { StrictStore } from "./location.js";

/** A store that answers the keys it was told to prefetch from requests already sent. */
export class PrefetchingStore extends StrictStore {
  private readonly pending = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(store: StrictStore) {
    super(store.inner, store.name);
  }

  /** Requests `keys` now (a missing one is an answer too: `undefined`). */
  prefetch(keys: readonly AbsolutePath[]): void {
    for (const key of keys) {
      if (this.pending.has(key)) continue;
      const answer = super.get(key);
      answer.catch(() => undefined); // a failure is reported to whoever asks for the key, if anyone does
      this.pending.set(key, answer);
    }
  }

  override get(key: AbsolutePath, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined> {
    return this.pending.get(key) ?? super.get(key, options);
  }
}

/** The keys of the metadata of the Zarr v2 group at `location`: `.zgroup` and `.zattrs`. */
export function groupMetadataKeys(location: zarr.Location<unknown>): AbsolutePath[] {
  return [".zgroup", ".zattrs"].map((name) => location.resolve(name).path as AbsolutePath);
}

/** The keys of the metadata of the group's v2 arrays: `.zarray`, and `.zattrs` where asked. */
export function arrayMetadataKeys(
  location: zarr.Location<unknown>,
  arrays: readonly { name: string; withAttrs: boolean }[],
): AbsolutePath[] {
  const at = (name: string) => location.resolve(name).path as AbsolutePath;
  return arrays.flatMap(({ name, withAttrs }) => (withAttrs ? [at(`${name}/.zarray`), at(`${name}/.zattrs`)] : [at(`${name}/.zarray`)]));
}
