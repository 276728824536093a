/** Finding the flacarray groups of an h5wasm file, and choosing the one to open. */
import { InvalidSelectionError, NAMES, NotFoundError } from "@flacarray/core";
import { openGroup } from "@flacarray/hdf5";
import type { File, Group } from "h5wasm";

/** Paths of the flacarray groups in an HDF5 file ("/" for the root), by walking its groups. */
export function flacarrayGroupsIn(file: File): string[] {
  const found: string[] = [];
  const walk = (g: Group, at: string) => {
    if (NAMES.formatVersion in g.attrs) found.push(at || "/");
    for (const key of g.keys()) {
      const child = g.get(key);
      if (child && (child as Group).type === "Group") walk(child as Group, `${at}/${key}`);
    }
  };
  walk(file, "");
  return found;
}

/**
 * The group to read: `group` when given, else the file's only flacarray group.
 * @throws {NotFoundError} when the file holds none; {InvalidSelectionError} when it holds several (listed)
 */
export function chooseGroup(file: File, group: string | undefined, where: string): Group {
  if (group !== undefined) return openGroup(file, group);
  const found = flacarrayGroupsIn(file);
  if (found.length === 0) throw new NotFoundError(where, "holds no flacarray group");
  if (found.length > 1)
    throw new InvalidSelectionError(`${where}: holds ${found.length} flacarray groups (${found.join(", ")}); choose one with group`);
  return openGroup(file, found[0] as string);
}
