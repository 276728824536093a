/**
 * Outputs are never lost or garbled: one writer at a time, never over an input, leftovers of dead
 * processes cleaned up (issue 11, items 13, 14, 16).
 */
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { isFlacArrayError, OutputExistsError } from "@flacarray/core";
import { writeOutputs } from "@flacarray/core/node";
import { describe, expect, test } from "vitest";
import { rejection } from "../helpers/errors.js";
import { deadPid } from "../helpers/processes.js";
import { tempDir } from "../helpers/temp.js";

const dir = tempDir("flacarray-safe-output-");
let count = 0;
const fresh = () => join(dir, `o${++count}`);

describe("writeOutputs", () => {
  test("a second writer of the same output fails while the first runs, and the first's output stands", async () => {
    const out = fresh();
    let release = () => {};
    const first = writeOutputs([out], async ([tmp]) => {
      writeFileSync(tmp, "first");
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await new Promise((r) => setTimeout(r, 20));
    const err = await rejection(writeOutputs([out], async ([tmp]) => writeFileSync(tmp, "second"), { force: true }));
    expect(err).toBeInstanceOf(OutputExistsError);
    expect(String(err)).toMatch(new RegExp(`another process \\(pid ${process.pid} on .*\\) is writing it`));
    release();
    await first;
    expect(readFileSync(out, "utf8")).toBe("first");
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  test("an existing output needs force; an output that appears meanwhile is left alone", async () => {
    const out = fresh();
    writeFileSync(out, "old");
    expect(isFlacArrayError(await rejection(writeOutputs([out], async () => undefined)), "OutputExistsError")).toBe(true);
    const late = fresh();
    const err = await rejection(
      writeOutputs([late], async ([tmp]) => {
        writeFileSync(tmp, "mine");
        writeFileSync(late, "someone else's");
      }),
    );
    expect(String(err)).toMatch(/appeared while it was being written/);
    expect(readFileSync(late, "utf8")).toBe("someone else's");
    await writeOutputs([out], async ([tmp]) => writeFileSync(tmp, "new"), { force: true });
    expect(readFileSync(out, "utf8")).toBe("new");
  });

  test("an output that is an input is refused even with force: same path, a symlink, a hard link", async () => {
    const input = fresh();
    writeFileSync(input, "precious");
    const link = `${input}.link`;
    symlinkSync(input, link);
    const hard = `${input}.hard`;
    linkSync(input, hard);
    for (const out of [input, link, hard]) {
      const err = await rejection(writeOutputs([out], async ([tmp]) => writeFileSync(tmp, "x"), { force: true, inputs: [input] }));
      expect(String(err)).toMatch(/is the input/);
    }
    expect(readFileSync(input, "utf8")).toBe("precious");
  });

  test("a lock and temporary outputs of a dead process are removed and reported; a live one's are kept", async () => {
    const out = fresh();
    const dead = deadPid();
    writeFileSync(`${out}.lock`, `${dead}\n${hostname()}\n`);
    writeFileSync(`${out}.partial-${dead}-abc`, "half");
    mkdirSync(`${out}.partial-${dead}-dir`);
    writeFileSync(`${out}.partial-${process.pid}-keep`, "ours");
    const removed: string[] = [];
    await writeOutputs([out], async ([tmp]) => writeFileSync(tmp, "done"), { onLeftover: (p) => removed.push(p) });
    expect(readFileSync(out, "utf8")).toBe("done");
    expect(removed.sort()).toStrictEqual([`${out}.lock`, `${out}.partial-${dead}-abc`, `${out}.partial-${dead}-dir`].sort());
    expect(existsSync(`${out}.partial-${process.pid}-keep`)).toBe(true);
  });

  test("a failing build leaves neither output nor lock nor temporary", async () => {
    const out = fresh();
    await expect(
      writeOutputs([out, `${out}.b`], async ([a, b]) => {
        writeFileSync(a, "1");
        writeFileSync(b, "2");
        throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    expect(existsSync(out) || existsSync(`${out}.b`) || existsSync(`${out}.lock`)).toBe(false);
  });

  test("an output in a folder that does not exist is one clear error", async () => {
    const err = await rejection(writeOutputs([join(dir, "no", "such", "out.h5")], async () => undefined));
    expect(isFlacArrayError(err, "InvalidArgumentError")).toBe(true);
    expect(String(err)).toMatch(/out\.h5: its folder .*no\/such does not exist/);
  });
});
