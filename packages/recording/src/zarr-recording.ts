/**
 * Zarr stores hold either a flacarray group or a SpikeInterface recording; this tells them
 * apart by their attributes, at no extra request for flacarray groups. SpikeInterface's
 * consolidated metadata (`.zmetadata`) is used when present.
 */
import { NotFoundError } from "@flacarray/core";
import { describeLocation, type GroupSource, toLocation, withConsolidatedMetadata } from "@flacarray/zarr";
import * as zarr from "zarrita";
import { flacarrayRecording } from "./flacarray-recording.js";
import type { OpenRecordingOptions } from "./open.js";
import type { Recording } from "./recording.js";
import { isSpikeInterfaceAttrs, spikeInterfaceRecording } from "./spikeinterface-recording.js";
import { zarrStored } from "./stored-group.js";

/**
 * Opens the recording of a Zarr group: a flacarray group, or else a SpikeInterface recording.
 * @throws the flacarray reader's {NotFoundError} when the group is neither
 */
export async function openZarrRecording(source: GroupSource, options: OpenRecordingOptions): Promise<Recording> {
  try {
    return flacarrayRecording(await zarrStored(source, options), "flacarray-zarr", options);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const location = toLocation(source, options);
    const group = await zarr.open(location, { kind: "group" }).catch(() => undefined);
    if (!group || !isSpikeInterfaceAttrs(group.attrs)) throw err;
    // SpikeInterface consolidates its stores' metadata: one .zmetadata request then serves the
    // metadata of every array (an absent one costs that request, and reads go on without it)
    return spikeInterfaceRecording(await withConsolidatedMetadata(location), group.attrs, describeLocation(location), options);
  }
}
