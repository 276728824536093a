/**
 * What every command shares: running with a one-line error and an exit status, argument
 * parsing with typed errors, units for times and channel lists, and cleanup on Ctrl-C.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { SOFTWARE_VERSION } from "@flacarray/core";
import { abandonOutputs } from "@flacarray/core/node";

/** A command line that cannot be run as given (exit status 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Runs a command: 0 on success; on failure prints `name: Error: reason` on one line (the stack
 * too with `debug`) and returns 1; a usage error prints its reason and the usage, and returns 2.
 * `--version` prints the version.
 */
export async function runCommand(name: string, argv: string[], main: (argv: string[]) => Promise<void>): Promise<number> {
  const debug = argv.includes("--debug") || argv.includes("-v");
  // `cmd | head` closes the pipe early: that ends the command, quietly
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  if (argv[0] === "--version" || argv[0] === "-V") {
    process.stdout.write(`${name} ${SOFTWARE_VERSION.split(" ")[1]} (${SOFTWARE_VERSION})\n`);
    return 0;
  }
  try {
    await main(argv);
    return 0;
  } catch (err) {
    const e = err as Error;
    if (err instanceof UsageError) {
      // the reason on the first line, then the usage as it is written
      const [reason, ...usage] = e.message.split("\n");
      process.stderr.write(`${name}: ${reason}\n${usage.length ? `\n${usage.join("\n")}\n` : ""}`);
      return 2;
    }
    process.stderr.write(`${name}: ${e.name}: ${e.message.replace(/\s*\n\s*/g, " ")}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

/** Options as node:util's parseArgs takes them. */
type Options = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parse} returns: each option's value (a string, or true for flags) and the positionals. */
export interface Parsed<T extends Options> {
  values: { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

/** node:util's parseArgs, with its errors as UsageErrors. */
export function parse<T extends Options>(argv: string[], options: T, usage: string): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed<T>;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}

/** A number option: `what` names it in the error. */
export function numberOf(value: string | undefined, what: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new UsageError(`${what}: invalid ${integer ? "int" : "number"} value ${JSON.stringify(value)}`);
  return n;
}

/** A time as samples: `10s`, `500ms`, `2.5s`, or a bare sample count. */
export function samplesOf(value: string, sampleRate: number, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|ms)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${what}: expected a time like 10s, 500ms or a sample count, found ${JSON.stringify(value)}`);
  const n = Number(m[1]);
  return m[2] === "s" ? Math.round(n * sampleRate) : m[2] === "ms" ? Math.round((n * sampleRate) / 1000) : Math.round(n);
}

/** Channels: `0:10` (a slice, stop excluded, optional step), `3,5,7`, or a mix `0:4,10`. */
export function channelsOf(value: string | undefined, nChannels: number): number[] {
  if (value === undefined) return Array.from({ length: nChannels }, (_, c) => c);
  const out: number[] = [];
  for (const part of value.split(",")) {
    const slice = /^(\d*):(\d*)(?::(\d+))?$/.exec(part.trim());
    if (slice) {
      const [start, stop, step] = [
        slice[1] ? Number(slice[1]) : 0,
        slice[2] ? Number(slice[2]) : nChannels,
        slice[3] ? Number(slice[3]) : 1,
      ];
      if (step < 1) throw new UsageError(`--channels ${value}: the step must be at least 1`);
      if (stop > nChannels) {
        throw new UsageError(
          `--channels ${value}: ${part.trim()} reaches channel ${stop - 1}, but the recording has ${nChannels} (0-${nChannels - 1})`,
        );
      }
      for (let c = start; c < stop; c += step) out.push(c);
    } else if (/^\d+$/.test(part.trim())) out.push(Number(part));
    else throw new UsageError(`--channels: expected 0:10, 3,5,7 or a mix, found ${JSON.stringify(value)}`);
  }
  const bad = out.find((c) => c >= nChannels);
  if (bad !== undefined) throw new UsageError(`--channels ${value}: channel ${bad} is out of range (the recording has ${nChannels})`);
  if (out.length === 0) throw new UsageError(`--channels ${value} selects no channel`);
  return out;
}

/**
 * On Ctrl-C or kill: removes what this process was writing for `outputs` (temporary outputs and
 * locks), then exits 130. The handlers stay installed, so that a second signal (Ctrl-C reaches
 * the launcher too, which passes it on) cannot end the process halfway through.
 */
export function cleanUpOnSignal(outputs: string[]): void {
  const clean = () => {
    abandonOutputs(outputs);
    process.exit(130);
  };
  process.on("SIGINT", clean);
  process.on("SIGTERM", clean);
}

/** Says on stderr that a leftover of a process that is gone (a temporary output or lock) was removed. */
export function reportLeftover(path: string): void {
  process.stderr.write(`removed ${path}, left by a process that is gone\n`);
}
