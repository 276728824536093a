// The `mtsdecomp` command.
import { runCommand } from "../cli.js";
import { mtsdecompCommand } from "../commands/mtscomp.js";

process.exitCode = await runCommand("mtsdecomp", process.argv.slice(2), mtsdecompCommand);
