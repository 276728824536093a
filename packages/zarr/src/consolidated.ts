/**
 * Zarr v2 consolidated metadata (`.zmetadata`, which zarr-python's `consolidate_metadata` writes
 * and SpikeInterface uses for the stores it saves): every metadata document of the store in one
 * request. Once it is read, metadata comes only from it, as with zarr-python's
 * `open_consolidated`, so documents it lacks (arrays without attributes) cost no request either.
 */
import { InvalidFormatError } from "@flacarray/core";
import type { AbsolutePath } from "@zarrita/storage";
import * as zarr from "zarrita";
import { METADATA_KEY, StrictStore } from "./location.js";

/** A store whose metadata documents come from its consolidated metadata. */
export class ConsolidatedStore extends StrictStore {
  /**
   * @param store - the store
   * @param documents - metadata documents by absolute key (`/traces_seg0/.zarray`)
   */
  constructor(
    store: StrictStore,
    private readonly documents: Map<string, Uint8Array>,
  ) {
    super(store.inner, store.name);
  }

  override async get(key: AbsolutePath, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined> {
    if (METADATA_KEY.test(key)) return this.documents.get(key);
    return super.get(key, options);
  }
}

/**
 * The location over a store that serves metadata from the group's `.zmetadata` (at the
 * location: consolidated there), when it has one (one request); the location itself otherwise.
 * @throws {InvalidFormatError} naming the store when `.zmetadata` is not consolidated metadata
 */
export async function withConsolidatedMetadata(location: zarr.Location<StrictStore>): Promise<zarr.Location<StrictStore>> {
  const base = location.path === "/" ? "" : location.path.replace(/\/+$/, "");
  const bytes = await location.store.get(`${base}/.zmetadata` as AbsolutePath);
  if (bytes === undefined) return location;
  const where = `${location.store.name}${base}/.zmetadata`;
  const doc = JSON.parse(new TextDecoder().decode(bytes)) as { zarr_consolidated_format?: unknown; metadata?: unknown };
  if (doc?.zarr_consolidated_format !== 1 || typeof doc.metadata !== "object" || doc.metadata === null || Array.isArray(doc.metadata)) {
    throw new InvalidFormatError(where, "is not Zarr v2 consolidated metadata (zarr_consolidated_format 1 with a metadata object)");
  }
  const encoder = new TextEncoder();
  const documents = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(doc.metadata as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null)
      throw new InvalidFormatError(where, `holds ${JSON.stringify(key)} as ${typeof value}, not a document`);
    documents.set(`${base}/${key.replace(/^\/+/, "")}`, encoder.encode(JSON.stringify(value)));
  }
  return new zarr.Location(new ConsolidatedStore(location.store, documents), location.path);
}
