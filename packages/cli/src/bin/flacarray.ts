// The `flacarray` command.
import { runCommand } from "../cli.js";
import { flacarrayCommand } from "../commands/flacarray.js";

process.exitCode = await runCommand("flacarray", process.argv.slice(2), flacarrayCommand);
