import { spawnSync } from "node:child_process";

/** The pid of a process that has exited (for leftovers of dead processes). */
export function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid as number;
}
