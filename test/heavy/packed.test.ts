/**
 * The packages as users get them: packed with `pnpm pack` (as `pnpm publish` packs them),
 * installed with npm into a fresh project outside the repository, then imported from plain Node,
 * type-checked from TypeScript, and run through their bins (issue 16).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { beforeAll, expect, test } from "vitest";
import { tempDir } from "../helpers/temp.js";

const root = join(import.meta.dirname, "..", "..");
const PACKAGES = ["core", "hdf5", "zarr", "mtscomp", "numcodecs", "recording", "cli"];
/** Applications, published as built files (the CLI serves the viewer's). */
const APPS = ["viewer"];
const dir = tempDir("flacarray-packed-");
const packs = join(dir, "packs");
const project = join(dir, "project");
const tarball = (name: string) => join(packs, readdirSync(packs).find((f) => f.startsWith(`flacarray-${name}-`)) as string);

beforeAll(() => {
  mkdirSync(packs);
  mkdirSync(project);
  for (const name of [...PACKAGES, ...APPS]) {
    execFileSync("npx", ["-y", "pnpm@10", "pack", "--pack-destination", packs], { cwd: join(root, "packages", name), stdio: "pipe" });
  }
  const dependencies = Object.fromEntries([...PACKAGES, ...APPS].map((name) => [`@flacarray/${name}`, `file:${tarball(name)}`]));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module", dependencies }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "pipe", timeout: 300_000 });
}, 600_000);

test.each(PACKAGES)("@flacarray/%s: built JavaScript with types, a LICENSE, no sources that do not run, no build caches", (name) => {
  const files = execFileSync("tar", ["tzf", tarball(name)], { encoding: "utf8" })
    .trim()
    .split("\n");
  expect(files).toContain("package/LICENSE");
  expect(files).toContain("package/dist/src/index.js");
  expect(files).toContain("package/dist/src/index.d.ts");
  expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toStrictEqual([]);
  expect(files.filter((f) => f.includes("tsbuildinfo"))).toStrictEqual([]);
  const pkg = JSON.parse(execFileSync("tar", ["xzf", tarball(name), "-O", "package/package.json"], { encoding: "utf8" }));
  expect(JSON.stringify(pkg.exports)).not.toMatch(/(?<!\.d)\.ts"/);
  expect(JSON.stringify(pkg.dependencies ?? {})).not.toMatch(/workspace:/);
});

test.each(PACKAGES)("@flacarray/%s: publint (strict) and arethetypeswrong (ESM-only packages) find nothing", (name) => {
  const bin = (tool: string) => join(root, "node_modules", ".bin", tool);
  for (const [tool, args] of [
    ["publint", ["--strict", tarball(name)]],
    ["attw", [tarball(name), "--profile", "esm-only", "--format", "ascii"]],
  ] as const) {
    const r = spawnSync(bin(tool), args, { encoding: "utf8" });
    expect(r.status, `${tool}: ${r.stdout}${r.stderr}`).toBe(0);
  }
});

test("@flacarray/viewer: the built page, its worker and a LICENSE, no sources", () => {
  const files = execFileSync("tar", ["tzf", tarball("viewer")], { encoding: "utf8" })
    .trim()
    .split("\n");
  for (const file of ["package/LICENSE", "package/dist/index.html", "package/dist/viewer.js", "package/dist/web-worker.js"])
    expect(files).toContain(file);
  expect(files.filter((f) => f.endsWith(".ts"))).toStrictEqual([]);
});

test("the installed flacarray view serves the installed viewer", async () => {
  const child = spawn(join(project, "node_modules", ".bin", "flacarray"), ["view", join(project, "package.json"), "--no-open"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`exited with ${code}`)));
    });
    const page = await fetch(first);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("viewer.js");
    expect((await fetch(new URL("/viewer.js", first))).status).toBe(200);
  } finally {
    child.kill("SIGINT");
  }
});

test("plain Node imports every package and round-trips data through each format", () => {
  const script = `
    import { closeWorkers, FlacArray } from "@flacarray/core";
    import { createFile, openFile, readArray as readH5, writeArray as writeH5 } from "@flacarray/hdf5/node";
    import { createStore, openZarr, readArray as readZarr, writeArray as writeZarr } from "@flacarray/zarr/node";
    import { compressArray, decompress } from "@flacarray/mtscomp";
    import { FlacCodec, getCodec } from "@flacarray/numcodecs";
    import { runCommand } from "@flacarray/cli";
    import { openRecording } from "@flacarray/recording/node";
    const data = Int32Array.from({ length: 4 * 3000 }, (_, i) => (i * 7919) % 2000 - 1000);
    const arr = { data, shape: [4, 3000] };
    const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
    if (!same(FlacArray.fromArray(arr).toArray().data, data)) throw new Error("core");
    // worker threads from the installed package (its #worker-host import and thread-worker.js)
    const onWorkers = await FlacArray.fromArrayAsync(arr, { workers: 2 });
    if (!same((await onWorkers.toArrayAsync({ workers: 2 })).data, data)) throw new Error("core on workers");
    await createFile("x.h5", (f) => writeH5(arr, f));
    const file = await openFile("x.h5");
    if (!same(readH5(file).data, data)) throw new Error("hdf5");
    file.close();
    await createStore("x.zarr", (root) => writeZarr(arr, root));
    if (!same((await readZarr(openZarr("x.zarr"))).data, data)) throw new Error("zarr");
    const rec = await openRecording("x.zarr");
    const window = await rec.read({ start: 10, stop: 20, channels: [3] });
    if (!same(window.data, data.subarray(3 * 3000 + 10, 3 * 3000 + 20))) throw new Error("recording");
    const int16 = Int16Array.from(data);
    const packed = await compressArray(int16, [3000, 4], { sampleRate: 30000, dtype: "int16" });
    const reader = await decompress(packed.cbin, JSON.parse(packed.header));
    if (!same((await reader.get()).data, int16)) throw new Error("mtscomp");
    const flac = new FlacCodec({ id: "flac", level: 5 });
    if (!same(new Int16Array(getCodec({ id: "flac" }).decode(flac.encode(int16, [3000, 4])).buffer), int16)) throw new Error("numcodecs");
    if (typeof runCommand !== "function") throw new Error("cli");
    await closeWorkers();
    console.log("all formats round-trip");
  `;
  writeFileSync(join(project, "use.mjs"), script);
  expect(execFileSync(process.execPath, ["use.mjs"], { cwd: project, encoding: "utf8" })).toBe("all formats round-trip\n");
});

test("TypeScript type-checks a user's script against the published types", () => {
  writeFileSync(
    join(project, "use.ts"),
    `import { FlacArray, isFlacArrayError } from "@flacarray/core";
import { openGroup, readArray } from "@flacarray/hdf5";
import { openFile } from "@flacarray/hdf5/node";
import { readArray as readZarr } from "@flacarray/zarr";
import { decompress } from "@flacarray/mtscomp";
const fa: FlacArray<"int32"> = FlacArray.fromArray(new Int32Array(10));
const shape: number[] = fa.toArray().shape;
const file = await openFile("x.h5");
const group = openGroup(file, "/");
const read: { data: ArrayLike<unknown>; shape: number[] } = readArray(group);
const remote: Promise<unknown> = readZarr("https://example.org/x.zarr", { timeoutMs: 5000 });
const reader: Promise<{ nSamples: number }> = decompress("https://example.org/x.cbin");
export const all = [shape, read, remote, reader, isFlacArrayError(null)];
`,
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const args = [
    "--noEmit",
    "--strict",
    "--target",
    "es2022",
    "--module",
    "nodenext",
    "--moduleResolution",
    "nodenext",
    "--skipLibCheck",
    "false",
  ];
  const result = spawnSync(process.execPath, [tsc, ...args, "use.ts"], { cwd: project, encoding: "utf8" });
  // Every declaration file is checked; errors of other libraries' declarations (zarrita's
  // dependencies numcodecs and unzipit under nodenext) are theirs, not ours.
  const errors = result.stdout.split("\n").filter((line) => /error TS/.test(line));
  const ours = errors.filter((line) => line.startsWith("use.ts") || line.includes("@flacarray/"));
  expect(ours, result.stdout).toStrictEqual([]);
  // and the types are really there: a misuse is an error
  writeFileSync(
    join(project, "misuse.ts"),
    `import { FlacArray } from "@flacarray/core";\nexport const n: string = FlacArray.fromArray(new Int32Array(1)).nbytes;\n`,
  );
  const misuse = spawnSync(process.execPath, [tsc, ...args, "misuse.ts"], { cwd: project, encoding: "utf8" });
  expect(misuse.stdout).toMatch(/misuse\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
});

test("the bins run from the user's project", () => {
  const version = JSON.parse(execFileSync("tar", ["xzf", tarball("cli"), "-O", "package/package.json"], { encoding: "utf8" })).version;
  expect(execFileSync(join(project, "node_modules", ".bin", "flacarray"), ["--version"], { encoding: "utf8" })).toMatch(
    new RegExp(`^flacarray ${version} `),
  );
  writeFileSync(
    join(project, "rec.bin"),
    new Int16Array(30000 * 4).map((_, i) => (i * 31) % 500),
  );
  execFileSync(join(project, "node_modules", ".bin", "flacarray"), ["compress", "rec.bin", "-o", "rec.h5", "-n", "4", "-s", "30000"], {
    cwd: project,
  });
  expect(execFileSync(join(project, "node_modules", ".bin", "mtsdesc"), ["--help"], { encoding: "utf8" })).toMatch(/^usage: mtsdesc/);
});
