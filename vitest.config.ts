import { defineConfig } from "vitest/config";

/** Suites too slow for the README's test command: `pnpm test:heavy` runs them, and so does CI. */
const HEAVY = ["test/heavy/**/*.test.ts"];
/** The suite that runs the packages in Debian's Chromium (`pnpm test:heavy` too). */
const BROWSER = ["test/browser/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // both cores: most test files wait on child processes, servers or the disk part of the time
    maxWorkers: 2,
    // the JSON report lets .ci/run print a plain "N passed, N failed" line
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: [...HEAVY, ...BROWSER] } },
      { extends: true, test: { name: "heavy", include: HEAVY } },
      { extends: true, test: { name: "browser", include: BROWSER } },
    ],
  },
});
