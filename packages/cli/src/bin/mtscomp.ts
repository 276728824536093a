// The `mtscomp` command.
import { runCommand } from "../cli.js";
import { mtscompCommand } from "../commands/mtscomp.js";

process.exitCode = await runCommand("mtscomp", process.argv.slice(2), mtscompCommand);
