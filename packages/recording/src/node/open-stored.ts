/** flacarray groups of local HDF5 files and Zarr stores (and Zarr URLs), opened for reading. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError, NAMES } from "@flacarray/core";
import * as hdf5 from "@flacarray/hdf5/node";
import * as zarr from "@flacarray/zarr/node";
import { flacarrayGroupsIn } from "../hdf5-groups.js";
import { hdf5Stored, type StoredRecording, zarrStored } from "../stored-group.js";
import { openRemoteHdf5 } from "./hdf5-ranges.js";

/** The container a path or URL names, by its extension (any other http(s) URL is a Zarr store). */
export function containerOf(path: string): "hdf5" | "zarr" | undefined {
  const remote = /^https?:\/\//i.test(path);
  if (/\.(h5|hdf5)$/i.test(remote ? new URL(path).pathname : path)) return "hdf5";
  if (remote || /\.zarr\/?$/i.test(path)) return "zarr";
  return undefined;
}

/**
 * Opens a flacarray group (default the root) of an HDF5 file or Zarr store (a path or an http(s)
 * URL; HDF5 files at URLs are read by byte ranges).
 * @throws {InvalidArgumentError} for a path that is neither; the readers' errors for a group that is not a flacarray
 */
export async function openFlacarrayGroup(path: string, group = "/"): Promise<StoredRecording> {
  const container = containerOf(path);
  if (container === "hdf5" && /^https?:/i.test(path)) return openRemoteHdf5(path, group);
  if (container === "hdf5") {
    const file = await hdf5.openFile(path);
    try {
      return hdf5Stored(hdf5.openGroup(file, group), file);
    } catch (err) {
      file.close();
      throw err;
    }
  }
  if (container === "zarr") {
    if (/^https?:/i.test(path)) return zarrStored(group === "/" ? path : `${path.replace(/\/$/, "")}/${group.replace(/^\//, "")}`);
    return zarrStored(zarr.openZarr(path).resolve(group.replace(/^\//, "") || "."));
  }
  throw new InvalidArgumentError(`${path}: expected an .h5/.hdf5 file, a .zarr store or the URL of a Zarr store`);
}

/** Paths of the flacarray groups inside a local HDF5 file or Zarr store, found by walking it (none for URLs). */
export async function findFlacArrayGroups(path: string): Promise<string[]> {
  if (/^https?:/i.test(path)) return [];
  if (containerOf(path) === "hdf5") {
    const file = await hdf5.openFile(path);
    try {
      return flacarrayGroupsIn(file);
    } finally {
      file.close();
    }
  }
  const found: string[] = [];
  const walk = (dir: string, at: string) => {
    for (const name of [".zattrs", "zarr.json"]) {
      const file = join(dir, name);
      if (existsSync(file) && readFileSync(file, "utf8").includes(NAMES.formatVersion)) found.push(at || "/");
    }
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) walk(join(dir, entry.name), `${at}/${entry.name}`);
  };
  walk(path, "");
  return found;
}
