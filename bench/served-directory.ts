// A directory served over HTTP by another process (the test helpers' static server), as a real
// server is: its work does not compete with the reader's thread. Requests are logged there and
// fetched on demand over IPC.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoggedRequest } from "../test/helpers/http-server.js";

type Message = { url: string } | { log: LoggedRequest[] };

/** Runs in the child: serves `process.argv[2]` and answers "log"/"clear" messages. */
async function child(): Promise<void> {
  const { serveDirectory } = await import("../test/helpers/http-server.js");
  const server = await serveDirectory(process.argv[2] as string);
  server.quirks.isolate = process.argv[3] === "isolate";
  process.on("message", (m) => {
    if (m === "log") process.send?.({ log: server.log });
    if (m === "clear") server.log.length = 0;
  });
  process.send?.({ url: server.url });
}

/** A directory served by a child process. */
export interface ServedDirectory {
  url: string;
  /** The requests answered since the last {@link ServedDirectory.clear}. */
  log(): Promise<LoggedRequest[]>;
  clear(): void;
  close(): Promise<void>;
}

/**
 * Serves `dir` from a child process on a free port of 127.0.0.1; with `isolate`, with the headers
 * that make a page cross-origin isolated (as `flacarray view` serves the viewer).
 */
export async function serveInChild(dir: string, options: { isolate?: boolean } = {}): Promise<ServedDirectory> {
  const args = options.isolate ? [dir, "isolate"] : [dir];
  const proc: ChildProcess = fork(fileURLToPath(import.meta.url), args, { execArgv: ["--import", "tsx"] });
  const next = () => new Promise<Message>((resolve) => proc.once("message", (m) => resolve(m as Message)));
  const { url } = (await next()) as { url: string };
  return {
    url,
    log: async () => {
      const answer = next();
      proc.send("log");
      return ((await answer) as { log: LoggedRequest[] }).log;
    },
    clear: () => proc.send("clear"),
    close: async () => {
      proc.kill();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) await child();
