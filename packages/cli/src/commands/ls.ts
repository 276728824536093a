/** `flacarray ls IN`: one line per flacarray group, as h5ls lists datasets. */
import { parse, UsageError } from "../cli.js";
import { describeInput, groupsToDescribe } from "./info.js";

export const LS_USAGE = `usage: flacarray ls IN.h5|IN.zarr|URL|IN.cbin [--json]

Lists the flacarray groups of a file or store (the root of a URL): path, shape, dtype,
compression ratio, and whether the group is a recording written by flacarray compress.`;

/** The ls command. */
export async function lsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, debug: { type: "boolean" } }, LS_USAGE);
  if (positionals.length !== 1) throw new UsageError(LS_USAGE);
  const path = positionals[0] as string;
  const rows = [];
  for (const group of await groupsToDescribe(path, undefined)) {
    const facts = await describeInput(path, group);
    rows.push({
      group: (facts.group as string | undefined) ?? "/",
      shape: facts.shape as number[],
      dtype: facts.dtype as string,
      ratio: facts.ratio as number,
      recording: facts.recording !== undefined || String(facts.format).startsWith("mtscomp"),
    });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const width = Math.max(5, ...rows.map((r) => r.group.length)) + 2;
  for (const r of rows) {
    const shape = `(${r.shape.join(", ")})`.padEnd(24);
    process.stdout.write(
      `${r.group.padEnd(width)}${shape}${r.dtype.padEnd(9)}ratio ${r.ratio.toFixed(3)}${r.recording ? "  recording" : ""}\n`,
    );
  }
}
