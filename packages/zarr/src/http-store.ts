/**
 * A read-only Zarr store over HTTP(S), through the project's one HTTP function: every request has
 * a deadline and a byte cap, and failures are typed errors naming the URL.
 */
import { type HttpOptions, httpGet } from "@flacarray/core";
import type { AbsolutePath, AsyncReadable, RangeQuery } from "@zarrita/storage";

/** A Zarr store at an http(s) URL; a key absent on the server (404) reads as absent. */
export class HttpStore implements AsyncReadable {
  /** The store's URL, without a trailing slash. */
  readonly url: string;

  /**
   * @param url - the store's root URL
   * @param options - deadline, byte cap, headers and fetch of every request
   */
  constructor(
    url: string,
    readonly options: HttpOptions = {},
  ) {
    this.url = url.replace(/\/+$/, "");
  }

  async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
    return (await httpGet(this.url + key, undefined, this.options))?.bytes;
  }

  async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
    return (await httpGet(this.url + key, range, this.options))?.bytes;
  }
}
