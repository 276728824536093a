/**
 * Where a flacarray group lives: a zarrita `Group` or `Location`, or an HTTP(S) URL. Every store
 * is wrapped so that a missing chunk is an error (zarrita would fill it with zeros, which for
 * stream tables would be silently wrong data) and a failed request is a typed `ReadError`.
 */

import { type HttpOptions, InvalidArgumentError, InvalidFormatError, isFlacArrayError, NotFoundError, ReadError } from "@flacarray/core";
import type { AbsolutePath, AsyncReadable, Readable } from "@zarrita/storage";
import * as zarr from "zarrita";
import { HttpStore } from "./http-store.js";

/** A group given as a zarrita Group or Location, or the URL of one (http or https). */
export type GroupSource = zarr.Location<Readable> | string | URL;

/** Keys of Zarr metadata documents, which may legitimately be absent. */
export const METADATA_KEY = /(^|\/)(\.zarray|\.zgroup|\.zattrs|\.zmetadata|zarr\.json)$/;

/** A store whose missing chunks throw `NotFoundError` and whose failures throw `ReadError`. */
export class StrictStore implements AsyncReadable {
  constructor(
    readonly inner: Readable,
    /** Describes the store in messages (a URL or a directory). */
    readonly name: string,
  ) {}

  async get(key: AbsolutePath, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined> {
    checkKey(key, this.name);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.inner.get(key, options);
    } catch (err) {
      if (isFlacArrayError(err)) throw err;
      throw new ReadError(`${this.name}${key}`, `reading failed: ${(err as Error).message}`, { cause: err });
    }
    if (bytes === undefined && !METADATA_KEY.test(key)) throw new NotFoundError(`${this.name}${key}`, "chunk is missing");
    if (bytes !== undefined && METADATA_KEY.test(key)) {
      // zarrita takes a document it cannot parse for an absent one and looks elsewhere; it is a broken store.
      try {
        JSON.parse(new TextDecoder().decode(bytes));
      } catch (err) {
        throw new InvalidFormatError(`${this.name}${key}`, `is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
    }
    return bytes;
  }
}

/**
 * Refuses a key that could leave the store: a `.` or `..` segment, an empty segment, or a
 * backslash. Keys come from metadata (a v3 `chunk_key_encoding` separator, say), which a
 * hostile store controls.
 * @throws {InvalidFormatError} naming the store and the key
 */
export function checkKey(key: string, store: string): void {
  const segments = key.split("/").slice(1);
  if (
    !key.startsWith("/") ||
    key.includes("\\") ||
    segments.some((s, i) => s === "." || s === ".." || (s === "" && i < segments.length - 1))
  ) {
    throw new InvalidFormatError(store, `key ${JSON.stringify(key)} would leave the store`);
  }
}

/** A short description of a store for messages: its URL, directory or class name. */
function storeName(store: Readable): string {
  const s = store as { url?: unknown; root?: unknown };
  if (s.url !== undefined) return String(s.url).replace(/\/$/, "");
  if (typeof s.root === "string") return s.root;
  return store.constructor?.name ?? "store";
}

/**
 * The location of a group, on a strict store.
 * @param http - deadline, byte cap and headers of the requests to a URL
 * @throws {InvalidArgumentError} for a string that is not an http(s) URL (open directories with `openZarr` from `@flacarray/zarr/node`)
 */
export function toLocation(source: GroupSource, http: HttpOptions = {}): zarr.Location<StrictStore> {
  if (typeof source === "string" || source instanceof URL) {
    const url = String(source);
    if (!/^https?:\/\//i.test(url)) {
      throw new InvalidArgumentError(`"${url}" is not an http(s) URL; open a directory with openZarr from @flacarray/zarr/node`);
    }
    const store = new HttpStore(url, http);
    return new zarr.Location(new StrictStore(store, url.replace(/\/$/, "")), "/");
  }
  const store = source.store instanceof StrictStore ? source.store : new StrictStore(source.store, storeName(source.store));
  return new zarr.Location(store, source.path);
}

/** `store/path` of a location, for messages. */
export function describe(location: zarr.Location<StrictStore>): string {
  return `${location.store.name}${location.path === "/" ? "" : location.path}`;
}
