import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const root = join(import.meta.dirname, "..");
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8"));
/** Packages that are applications, not libraries: the viewer is a static page, published built. */
const APPS = ["viewer"];
const packages = readdirSync(join(root, "packages"));
const libraries = packages.filter((p) => !APPS.includes(p));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("package layout", () => {
  test.each(APPS)("%s: an application published as its built files, found through its package.json", (name) => {
    const pkg = readJson(`packages/${name}/package.json`);
    expect(pkg.name).toBe(`@flacarray/${name}`);
    expect(pkg.type).toBe("module");
    expect(pkg.files).toContain("dist");
    expect(pkg.exports).toStrictEqual({ "./package.json": "./package.json" });
  });

  test.each(libraries)("%s: ESM, exports with types first, built files published", (name) => {
    const pkg = readJson(`packages/${name}/package.json`);
    expect(pkg.name).toBe(`@flacarray/${name}`);
    expect(pkg.type).toBe("module");
    for (const map of [pkg.exports, pkg.publishConfig.exports]) {
      for (const entry of Object.values(map) as Record<string, string>[]) expect(Object.keys(entry)[0]).toBe("types");
    }
    expect(pkg.files).toContain("dist");
  });

  test("core has no runtime dependencies", () => {
    expect(Object.keys(readJson("packages/core/package.json").dependencies ?? {})).toStrictEqual([]);
  });

  test.each(packages.filter((p) => p !== "cli"))("%s: no node: imports (or h5wasm/node) outside its /node entry", (name) => {
    for (const file of sourceFiles(join(root, `packages/${name}/src`))) {
      if (file.endsWith("/node.ts") || file.includes("/node/")) continue;
      expect(readFileSync(file, "utf8"), file).not.toMatch(/from\s+["'](node:|h5wasm\/node)|require\(["']node:/);
    }
  });

  test("the software version written into groups is the core package's version", async () => {
    const { SOFTWARE_VERSION } = await import("@flacarray/core");
    expect(SOFTWARE_VERSION).toBe(`flacarray-js ${readJson("packages/core/package.json").version}`);
  });

  test("index files only re-export", () => {
    for (const name of libraries) {
      const index = readFileSync(join(root, `packages/${name}/src/index.ts`), "utf8");
      for (const line of index.split("\n")) if (line.trim() && !line.startsWith("//")) expect(line).toMatch(/^(export|\s|})/);
    }
  });

  test("devDependencies are pinned exactly", () => {
    for (const path of ["package.json", ...packages.map((p) => `packages/${p}/package.json`)]) {
      for (const [dep, range] of Object.entries(readJson(path).devDependencies ?? {}) as [string, string][]) {
        if (range.startsWith("workspace:")) continue;
        expect(range, `${path}: ${dep}`).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
  });
});
