/** `flacarray view PATH|URL`: the viewer page, served on 127.0.0.1, showing a recording. */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { numberOf, parse, UsageError } from "../cli.js";
import { serveFiles } from "../serve.js";

export const VIEW_USAGE = `usage: flacarray view PATH|URL [--port N] [--no-open] [--group G]

Serves the recording viewer on 127.0.0.1 and opens it in the browser. PATH is a Zarr store
(flacarray or SpikeInterface), an .h5 file, a .cbin (its .ch beside it), a SpikeGLX .bin (its
.meta beside it) or an Open Ephys folder; it is served with its folder, with Range support, so
the page fetches only what it shows. A URL is opened by the page directly (the server must allow
the page's origin with CORS). The first line printed is the page's URL; Ctrl-C stops the server.

  --port N      port to listen on (default: any free port)
  --no-open     do not open a browser
  --group G     group of an HDF5 file or Zarr store`;

/** The viewer's built files (`@flacarray/viewer`'s dist). */
function viewerFiles(): string {
  const pkg = createRequire(import.meta.url).resolve("@flacarray/viewer/package.json");
  const dist = join(dirname(pkg), "dist");
  if (!existsSync(join(dist, "index.html"))) throw new UsageError(`the viewer is not built (${dist} has no index.html): run pnpm build`);
  return dist;
}

/** For a local path: the folder to serve, and the recording's path inside it as the page fetches it. */
function servedPath(input: string): { folder: string; src: string } {
  const path = resolve(input);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) throw new UsageError(`${input}: no such file or folder`);
  if (stats.isDirectory() && existsSync(join(path, "structure.oebin")))
    return { folder: dirname(path), src: `${basename(path)}/structure.oebin` };
  if (/\.ch$/i.test(path)) return { folder: dirname(path), src: basename(path).replace(/\.ch$/i, ".cbin") };
  return { folder: dirname(path), src: basename(path) };
}

/** Opens `url` in the user's browser, if the platform has a way; failures are ignored. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  try {
    spawn(command as string, args as string[], { stdio: "ignore", detached: true })
      .on("error", () => {})
      .unref();
  } catch {
    // no browser to open: the URL is printed
  }
}

/** Runs `flacarray view argv...` until SIGINT or SIGTERM. */
export async function viewCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { port: { type: "string" }, "no-open": { type: "boolean" }, group: { type: "string" } },
    VIEW_USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`one recording is needed\n${VIEW_USAGE}`);
  const input = positionals[0] as string;
  const port = numberOf(values.port, "--port", true) ?? 0;
  if (port < 0 || port > 65535) throw new UsageError(`--port: ${port} is not a port (0-65535)`);
  const mounts: Record<string, string> = { "": viewerFiles() };
  let src: string;
  if (/^https?:\/\//i.test(input)) src = input;
  else {
    const served = servedPath(input);
    mounts["/data"] = served.folder;
    src = `/data/${served.src.split("/").map(encodeURIComponent).join("/")}`;
  }
  const query = new URLSearchParams({ src });
  if (values.group) query.set("group", values.group);
  const page = `/index.html?${query}`;
  const { server, url } = await serveFiles(mounts, port, page);
  // The handlers are in place before the URL is printed: a script that reads the URL and then
  // stops the server at once must find them there.
  const stopped = new Promise<void>((done) => {
    // on, not once: a second signal (see cleanUpOnSignal) must not end the process mid-close
    let stopping = false;
    const stop = () => {
      if (!stopping) server.close(() => done());
      stopping = true;
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write(`${url}${page}\n`);
  if (!values["no-open"]) openBrowser(`${url}${page}`);
  await stopped;
}
