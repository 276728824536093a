/** The `flacarray` command: dispatches to its subcommands. */
import { UsageError } from "../cli.js";
import { COMPRESS_USAGE, compressCommand } from "./compress.js";
import { CONVERT_USAGE, convertCommand } from "./convert.js";
import { DECOMPRESS_USAGE, decompressCommand } from "./decompress.js";
import { INFO_USAGE, infoCommand } from "./info.js";
import { LS_USAGE, lsCommand } from "./ls.js";
import { VIEW_USAGE, viewCommand } from "./view.js";

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; usage: string }> = {
  compress: { run: compressCommand, usage: COMPRESS_USAGE },
  decompress: { run: decompressCommand, usage: DECOMPRESS_USAGE },
  info: { run: infoCommand, usage: INFO_USAGE },
  ls: { run: lsCommand, usage: LS_USAGE },
  convert: { run: convertCommand, usage: CONVERT_USAGE },
  view: { run: viewCommand, usage: VIEW_USAGE },
};

export const FLACARRAY_USAGE = `usage: flacarray <command> [options]

commands:
  compress    a raw recording (.bin/.dat) or .cbin into a flacarray .h5 or .zarr
  decompress  a recording back to raw interleaved samples (all, or a window)
  info        shape, dtype, rate, duration, ratio of a .h5/.zarr/.cbin
  ls          the flacarray groups of a .h5/.zarr: shape, dtype, ratio, recording or not
  convert     .cbin to .h5/.zarr and back
  view        look at a recording (file or URL) in the browser

flacarray <command> --help for the options of each.`;

/** Runs `flacarray argv...`. */
export async function flacarrayCommand(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    process.stdout.write(`${FLACARRAY_USAGE}\n`);
    if (!name) throw new UsageError("a command is needed");
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n${FLACARRAY_USAGE}`);
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage}\n`);
    return;
  }
  await command.run(rest);
}
