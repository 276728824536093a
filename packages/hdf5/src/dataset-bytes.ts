/**
 * Byte ranges of a 1-D uint8 dataset (flacarray's `compressed`) of a {@link RangeFile}, fetched
 * straight from the source when the dataset is stored unfiltered, the kerchunk way: HDF5 is asked
 * where it reads the storage (h5wasm does not report dataset addresses), and the answers are
 * checked against each other before they are used. Other datasets are read through HDF5.
 */
import { concatBytes, InvalidFormatError, InvalidSelectionError } from "@flacarray/core";
import type { Dataset } from "h5wasm";
import type { RangeFile } from "./range-file.js";
import { readBytes } from "./transfer.js";

/** Reads byte ranges of a 1-D uint8 dataset. */
export interface DatasetBytes {
  /** The dataset's length in bytes. */
  length: number;
  /** Bytes `[start, end)` of the dataset. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Whether reads fetch exactly their bytes from the source (unfiltered storage), not through HDF5. */
  direct: boolean;
}

/** What {@link datasetBytes} needs to know of the dataset. */
interface ByteDatasetInfo {
  length: number;
  /** Elements per chunk; undefined for contiguous (or compact) storage. */
  chunk: number | undefined;
  plain: boolean;
}

/**
 * A reader of byte ranges of the 1-D uint8 dataset at `path`.
 * @throws {NotFoundError} and {InvalidFormatError} when `path` is not a 1-D dataset of bytes
 */
export async function datasetBytes(file: RangeFile, path: string): Promise<DatasetBytes> {
  const where = `${file.name}:${path}`;
  const info = await file.run((f): ByteDatasetInfo => {
    const dataset = f.get(path) as Dataset | null;
    const shape = dataset?.shape;
    if (dataset?.type !== "Dataset" || shape?.length !== 1 || dataset.metadata.size !== 1) {
      throw new InvalidFormatError(where, "is not a 1-D dataset of bytes");
    }
    return { length: shape[0] as number, chunk: dataset.metadata.chunks?.[0], plain: dataset.filters.length === 0 };
  });
  const check = (start: number, end: number) => {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= info.length)) {
      throw new InvalidSelectionError(`${where}: bytes [${start}, ${end}) are outside the dataset of ${info.length} bytes`);
    }
  };
  const throughHdf5: DatasetBytes = {
    length: info.length,
    direct: false,
    read: async (start, end) => {
      check(start, end);
      return file.run((f) => readBytes(f.get(path) as Dataset, start, end));
    },
  };
  if (!info.plain || info.length === 0) return throughHdf5;
  const size = file.source.size;

  if (info.chunk === undefined) {
    // Contiguous: element i is at a + i. Two elements at the ends agree on a, or HDF5 reads
    // the storage some other way (compact, in the object header) and it is read through HDF5.
    const first = await file.dataRead(path, 0);
    const last = await file.dataRead(path, info.length - 1);
    const at = first?.position ?? -1;
    if (!first || !last || last.position !== at + info.length - 1 || last.length !== 1 || at + info.length > size) return throughHdf5;
    return {
      length: info.length,
      direct: true,
      read: async (start, end) => {
        check(start, end);
        return file.source.read(at + start, end - start);
      },
    };
  }

  // Chunked: HDF5 reads a whole unfiltered chunk; both ends of a chunk read the same bytes.
  const chunk = info.chunk;
  const addresses = new Map<number, Promise<number>>();
  const addressOf = (c: number): Promise<number> => {
    let found = addresses.get(c);
    if (!found) {
      found = (async () => {
        const count = Math.min(chunk, info.length - c * chunk);
        const first = await file.dataRead(path, c * chunk);
        const last = await file.dataRead(path, c * chunk + count - 1);
        const at = first?.position ?? -1;
        if (!first || !last || last.position !== at || last.length !== first.length || first.length < count || at + count > size) {
          throw new InvalidFormatError(where, `chunk ${c}: HDF5 does not read it as one stored block (file offset ${at})`);
        }
        return at;
      })();
      addresses.set(c, found);
      found.catch(() => addresses.delete(c));
    }
    return found;
  };
  return {
    length: info.length,
    direct: true,
    read: async (start, end) => {
      check(start, end);
      const parts: Promise<Uint8Array>[] = [];
      for (let c = Math.floor(start / chunk); c * chunk < end; c++) {
        const from = Math.max(start, c * chunk);
        const to = Math.min(end, (c + 1) * chunk);
        parts.push(addressOf(c).then((at) => file.source.read(at + from - c * chunk, to - from)));
      }
      const got = await Promise.all(parts);
      return got.length === 1 ? (got[0] as Uint8Array) : concatBytes(got);
    },
  };
}
