/** Open Ephys binary recordings on disk: `structure.oebin` (../openephys-structure.ts) and the `continuous.dat` of a stream. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InvalidArgumentError } from "@flacarray/core";
import { chooseOpenEphysStream, type OpenEphysStreamInfo } from "../openephys-structure.js";

/** One continuous stream of an Open Ephys binary recording on disk, ready to read. */
export interface OpenEphysStream extends OpenEphysStreamInfo {
  /** The interleaved int16 samples. */
  datPath: string;
}

/** The `structure.oebin` of `path` (the file itself, or a folder that holds one), or undefined. */
export function oebinOf(path: string): string | undefined {
  if (basename(path) === "structure.oebin") return path;
  const inside = join(path, "structure.oebin");
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() && existsSync(inside) ? inside : undefined;
}

/**
 * The continuous stream `stream` of the recording described by `oebin`: named by its
 * `folder_name` (a unique part of it is enough) or its index. Without `stream`, the only one.
 * Its data are `continuous/<folder_name>/continuous.dat`; with one stream chosen by name, a
 * `continuous.dat` beside `structure.oebin` (as in copies of one stream) is taken too.
 * @throws {InvalidSelectionError} when the choice is missing or matches none or several (the message lists them)
 * @throws {InvalidFormatError} when `structure.oebin` is not what Open Ephys writes
 */
export function openEphysStream(oebin: string, stream: string | undefined): OpenEphysStream {
  const info = chooseOpenEphysStream(readFileSync(oebin, "utf8"), oebin, stream);
  const nested = join(dirname(oebin), "continuous", info.name, "continuous.dat");
  const flat = join(dirname(oebin), "continuous.dat");
  const datPath = existsSync(nested) ? nested : stream !== undefined || info.streamCount === 1 ? flat : nested;
  if (!existsSync(datPath)) throw new InvalidArgumentError(`${nested}: no such file (the data of stream ${info.name})`);
  return { ...info, datPath };
}
