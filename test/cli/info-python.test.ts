// `flacarray info` on every Python-written fixture file: in-process through `describeInput` (the
// code the command runs), and through the built command for one HDF5 and one Zarr file.
import { join } from "node:path";
import { describeInput } from "@flacarray/cli";
import { describe, expect, test } from "vitest";
import { runCli } from "../helpers/cli.js";
import { type FixtureEntry, FLACARRAY_FIXTURES, MANIFEST } from "../helpers/fixtures.js";

// one group of each Python-written file (HDF5 and Zarr, formats "1" and 0)
const seen = new Set<string>();
const cases = MANIFEST.fixtures.filter((x) => !seen.has(x.file) && seen.add(x.file));

/** What info must say of a fixture. */
function expectFacts(info: Record<string, unknown>, fx: FixtureEntry): void {
  expect(info.dtype).toBe(fx.dtype);
  // format-0 entries record the input shape only
  const stored = fx.stored as typeof fx.stored | undefined;
  expect(info.shape).toEqual(stored ? [...stored.leading_shape, stored.stream_size] : fx.shape);
  if (stored) expect(info.compressedBytes).toBe(stored.compressed_nbytes);
  expect(info.format).toMatch(fx.format_version === 0 ? /flacarray 0/ : /flacarray "1"/);
}

describe("info on Python-written files", () => {
  test.each(cases.map((x) => [`${x.file}:${x.group}`, x] as const))("%s", async (_, fx) => {
    expectFacts(await describeInput(join(FLACARRAY_FIXTURES, fx.file), fx.group), fx);
  });

  test.each(["hdf5", "zarr"])("the built command says the same (%s)", async (container) => {
    const fx = cases.find((x) => x.container === container) as FixtureEntry;
    const r = await runCli("flacarray", ["info", join(FLACARRAY_FIXTURES, fx.file), "--group", fx.group, "--json"]);
    expect(r.stderr).toBe("");
    expectFacts(JSON.parse(r.stdout), fx);
  });
});
