/**
 * Small helpers over h5wasm objects. They only call methods of the objects they are given, so
 * they work with groups from any h5wasm instance (`h5wasm` in browsers, `h5wasm/node` in Node).
 */
import {
  _internalFirstComplaint as firstComplaint,
  InvalidFormatError,
  isFlacArrayError,
  NotFoundError,
  type StoredDtype,
} from "@flacarray/core";
import type { Attribute, Dataset, Group } from "h5wasm";

/** h5wasm's class numbers of HDF5 datatypes (H5T_class_t). */
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

/** `file.h5:/group/path`: the location of a group for messages (the file name when the group is a File). */
export function locationOf(group: Group): string {
  const filename = (group as { filename?: unknown }).filename;
  return typeof filename === "string" ? `${filename}:${group.path}` : group.path;
}

/** Whether an h5wasm entity is a Dataset (without `instanceof`, which differs between h5wasm instances). */
export function isDataset(entity: unknown): entity is Dataset {
  return entity != null && typeof (entity as Dataset).slice === "function" && "shape" in (entity as object);
}

/** Whether an h5wasm entity is a Group (or File). */
export function isGroup(entity: unknown): entity is Group {
  return entity != null && typeof (entity as Group).create_group === "function";
}

/**
 * The member dataset `name` of a group.
 * @throws {NotFoundError} when it is absent or not a dataset
 */
export function getDataset(group: Group, name: string): Dataset {
  const entity = group.keys().includes(name) ? group.get(name) : null;
  if (!isDataset(entity)) {
    throw new NotFoundError(`${locationOf(group)}/${name}`, entity == null ? "dataset is missing" : "is not a dataset");
  }
  return entity;
}

/** The member dataset `name` of a group, or null when there is none. */
export function getOptionalDataset(group: Group, name: string): Dataset | null {
  return group.keys().includes(name) ? getDataset(group, name) : null;
}

/** An attribute of a group or dataset, or undefined when it has none of that name. */
export function getAttribute(owner: { attrs: Record<string, Attribute> }, name: string): Attribute | undefined {
  return Object.hasOwn(owner.attrs, name) ? owner.attrs[name] : undefined;
}

/**
 * The numpy name of a dataset's dtype (`uint8`, `int64`, `float32`...), whatever its byte order.
 * @throws {InvalidFormatError} for compound, string and other non-numeric types
 */
export function numpyDtype(dataset: Dataset): StoredDtype {
  const { type, size, signed } = dataset.metadata;
  if (type === H5T_INTEGER) return `${signed ? "int" : "uint"}${size * 8}`;
  if (type === H5T_FLOAT) return `float${size * 8}`;
  throw new InvalidFormatError(dataset.path, `has HDF5 type class ${type}, expected a number type`);
}

/**
 * Runs h5wasm calls with HDF5's own errors (an `Error: HDF5-DIAG: ...` dump from a corrupt file)
 * turned into an {@link InvalidFormatError} naming `where` and HDF5's first complaint.
 */
export function guardHdf5<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (isFlacArrayError(err)) throw err;
    throw new InvalidFormatError(where, `HDF5 cannot read it: ${firstComplaint(err instanceof Error ? err.message : String(err))}`, {
      cause: err,
    });
  }
}

/**
 * The group at `path` in a file (or below a group), as `file[path]` in h5py, with typed errors.
 * @param path - "/" or "" for `root` itself, else a path such as "ap" or "/a/b"
 * @throws {NotFoundError} when nothing is there, or it is not a group
 * @throws {InvalidFormatError} when HDF5 cannot read the way there (a corrupt file)
 * @example
 * const { data } = readArray(openGroup(file, "ap"), { keep });
 */
export function openGroup(root: Group, path: string): Group {
  if (path === "/" || path === "") return root;
  const where = `${locationOf(root)}${path.startsWith("/") ? "" : "/"}${path}`.replace(/\/\/+/g, "/");
  const entity = guardHdf5(where, () => root.get(path));
  if (!isGroup(entity)) throw new NotFoundError(where, entity == null ? "no such group" : "is not a group");
  return entity;
}
