/**
 * Writing outputs so that nothing is lost, the one way every package and command of the project
 * does it:
 * - an output is reserved with an exclusive lock file (`<output>.lock`, holding the writer's pid
 *   and host), so two writers of one output never both succeed;
 * - a lock or temporary output left by a process that is gone is taken over and removed, as apt
 *   and git treat their lock files;
 * - an output that is one of the inputs (same device and inode) is never written, even when
 *   replacing was asked for;
 * - an existing output is replaced only when asked for;
 * - the output is built under a temporary name (`<output>.partial-<pid>-<stamp>`) and renamed
 *   into place only when complete, so that a failure or a kill never leaves a half-written file
 *   under the output's name.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { rename } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { firstComplaint, InvalidArgumentError, isFlacArrayError, OutputExistsError, WriteError } from "../errors.js";

/** Options of {@link writeOutputs}. */
export interface WriteOutputsOptions {
  /** Replace outputs that exist. Default false. */
  force?: boolean;
  /** Files (or directories) read to make the outputs: an output that is one of them is refused. */
  inputs?: readonly string[];
  /** Told of each leftover of a dead process that was removed. */
  onLeftover?: (path: string) => void;
}

/** The temporary name prefix of an output's builds by process `pid`. */
function partialPrefix(path: string, pid: number): string {
  return `${basename(path)}.partial-${pid}-`;
}

/** Whether the process `pid` on `host` may still be running (a process elsewhere cannot be checked). */
function mayBeAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the temporary outputs beside `path` that processes which are gone left behind. */
function removeLeftovers(path: string, onLeftover?: (path: string) => void): void {
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  const base = basename(path);
  for (const name of readdirSync(dir)) {
    const m = name.startsWith(`${base}.partial-`) ? /^(\d+)-/.exec(name.slice(base.length + 9)) : null;
    if (!m || Number(m[1]) === process.pid || mayBeAlive(Number(m[1]), hostname())) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    onLeftover?.(join(dir, name));
  }
}

/**
 * Takes the lock of an output, taking over a lock whose process is gone.
 * @throws {OutputExistsError} when a live process holds it
 */
function lock(path: string, onLeftover?: (path: string) => void): string {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, `${process.pid}\n${hostname()}\n`);
      closeSync(fd);
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const [pid, host] = (existsSync(lockPath) ? readFileSync(lockPath, "utf8") : "").split("\n");
    if (pid && mayBeAlive(Number(pid), host ?? "")) {
      throw new OutputExistsError(path, `another process (pid ${pid} on ${host}) is writing it; if none is, remove ${lockPath}`);
    }
    rmSync(lockPath, { force: true });
    onLeftover?.(lockPath);
  }
  throw new OutputExistsError(path, `another process took ${lockPath} at the same moment`);
}

/**
 * Writes outputs safely: `build` writes each output at the temporary name it is given; they get
 * their names (in the given order) only when `build` has finished. On any error, the temporary
 * outputs are removed and existing outputs are untouched.
 * @param paths - the outputs (files or directories)
 * @param build - writes the outputs at the temporary names given (which do not exist yet)
 * @throws {OutputExistsError} when an output exists without `force`, is being written by another
 *   process, or is one of `inputs`
 * @throws {InvalidArgumentError} when an output's folder does not exist
 * @throws {WriteError} naming the output when the disk is full, the file system read-only, or HDF5 cannot write
 * @example
 * await writeOutputs(["out.bin"], async ([tmp]) => writeFile(tmp, bytes), { inputs: ["in.bin"] });
 */
export async function writeOutputs<T>(
  paths: readonly string[],
  build: (temporaries: string[]) => Promise<T>,
  options: WriteOutputsOptions = {},
): Promise<T> {
  const inputs = (options.inputs ?? []).flatMap((input) => {
    try {
      const { dev, ino } = statSync(input);
      return [{ input, dev, ino }];
    } catch {
      return [];
    }
  });
  for (const path of paths) {
    if (!existsSync(dirname(path) || ".")) throw new InvalidArgumentError(`${path}: its folder ${dirname(path)} does not exist`);
    if (!existsSync(path)) continue;
    const { dev, ino } = statSync(path);
    const same = inputs.find((i) => i.dev === dev && i.ino === ino);
    if (same) throw new OutputExistsError(path, `is the input ${same.input}; choose another output`);
  }
  const locks: string[] = [];
  const stamp = Date.now().toString(36);
  const temporaries = paths.map((p) => join(dirname(p), `${partialPrefix(p, process.pid)}${stamp}`));
  try {
    for (const path of paths) {
      locks.push(lock(path, options.onLeftover));
      removeLeftovers(path, options.onLeftover);
      if (!options.force && existsSync(path)) throw new OutputExistsError(path);
    }
    const result = await build(temporaries);
    for (let i = 0; i < paths.length; i++) {
      if (existsSync(paths[i])) {
        // something that does not take the lock may have made it meanwhile
        if (!options.force) throw new OutputExistsError(paths[i], "appeared while it was being written; it was left as it is");
        if (statSync(paths[i]).isDirectory()) rmSync(paths[i], { recursive: true, force: true });
      }
      await rename(temporaries[i], paths[i]);
    }
    return result;
  } catch (err) {
    for (const t of temporaries) rmSync(t, { recursive: true, force: true });
    throw asWriteError(err, paths, temporaries);
  } finally {
    for (const l of locks) rmSync(l, { force: true });
  }
}

/** System error codes that mean an output could not be written. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EROFS: "the file system is read-only",
  EFBIG: "the file is larger than the file system allows",
};

/**
 * A failure to write as a {@link WriteError} naming the output: a full disk or read-only file
 * system (node:fs), or HDF5 failing to write (an `HDF5-DIAG` dump, reduced to its first complaint).
 * Any other error is returned as it is.
 */
function asWriteError(err: unknown, paths: readonly string[], temporaries: readonly string[]): unknown {
  if (isFlacArrayError(err) || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const at = temporaries.findIndex((t) => (err as NodeJS.ErrnoException).path === t || err.message.includes(t));
  const path = paths[Math.max(0, at)];
  if (code && code in WRITE_FAILURES) return new WriteError(path, `writing failed: ${WRITE_FAILURES[code]}`, { cause: err });
  if (err.message.includes("HDF5-DIAG")) {
    return new WriteError(path, `HDF5 could not write it: ${firstComplaint(err.message)}`, { cause: err });
  }
  return err;
}

/**
 * Removes what this process was writing for `paths` (temporary outputs and locks): for a signal
 * handler, just before the process exits.
 */
export function abandonOutputs(paths: readonly string[]): void {
  for (const path of paths) {
    const dir = dirname(path) || ".";
    if (!existsSync(dir)) continue;
    const prefix = partialPrefix(path, process.pid);
    for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(join(dir, name), { recursive: true, force: true });
    try {
      if (readFileSync(`${path}.lock`, "utf8").startsWith(`${process.pid}\n`)) rmSync(`${path}.lock`, { force: true });
    } catch {
      // no lock of ours
    }
  }
}
