// The `mtsdesc` command.
import { runCommand } from "../cli.js";
import { mtsdescCommand } from "../commands/mtscomp.js";

process.exitCode = await runCommand("mtsdesc", process.argv.slice(2), mtsdescCommand);
