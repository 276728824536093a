import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isFlacArrayError } from "@flacarray/core";
import { closeToBytes, openBuffer, readArray, writeArray } from "@flacarray/hdf5";
import type { Group } from "h5wasm";
import { describe, expect, test } from "vitest";
import { expectSameArray } from "../helpers/arrays.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, fixtureNpy, MANIFEST } from "../helpers/fixtures.js";

// The browser path: h5wasm's ESM build with its in-memory file system (no host files).
describe("openBuffer (browser build of h5wasm, in-memory files)", () => {
  test("reads a Python-written file from its bytes, given as a Blob", async () => {
    const f = MANIFEST.fixtures.find((x) => x.id === "v1_multi_abc_i64") as FixtureEntry;
    const bytes = readFileSync(join(FLACARRAY_FIXTURES, f.file));
    const file = await openBuffer(new Blob([bytes]));
    expectSameArray(readArray(file.get(f.group) as Group).data, fixtureNpy(f.expected).data);
    closeToBytes(file);
  });

  test("writes a new file and returns its bytes, which open again", async () => {
    const data = Int32Array.from({ length: 2 * 1000 }, (_, i) => Math.round(1000 * Math.sin(i / 17)));
    const file = await openBuffer(null, "w");
    writeArray({ data, shape: [2, 1000] }, file.create_group("signal"));
    const bytes = closeToBytes(file);
    expect(bytes.length).toBeGreaterThan(1000);
    const again = await openBuffer(bytes.buffer as ArrayBuffer);
    expectSameArray(readArray(again.get("signal") as Group).data, data);
    closeToBytes(again);
  });

  test("bytes that are not HDF5", async () => {
    const err = await openBuffer(new TextEncoder().encode("no HDF5 here")).catch((e) => e);
    expect(isFlacArrayError(err, "NotFoundError")).toBe(true);
  });
});
