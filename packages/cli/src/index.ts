import { parseArgs } from "node:util";
import { type Output, serve } from "./serve.js";

export { type Output, type ServeOptions, serve } from "./serve.js";

const usage = `Usage: cdp <command> [options]

Commands:
  serve            Run the reference backend (in memory) over HTTP

Options for serve:
  --port <n>       Port to listen on (default 4000; 0 picks a free one)
  --host <host>    Interface to bind (default 127.0.0.1)
  --json           Print one JSON line { url, workspaceId, adminKey, writeKey } once listening, nothing else on stdout
  --seed <n>       The same keys on every run; ids still differ (for tests; seeded keys are guessable)

  -h, --help       Show this help
  -v, --version    Show the version`;

const consoleOutput: Output = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the CLI with the given arguments. Resolves to an exit code for commands that end, or to
 * undefined while `serve` keeps running (it exits 0 on SIGINT/SIGTERM).
 */
export async function run(argv: string[], output: Output = consoleOutput): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    output.stderr(usage);
    return 1;
  }
  if (command === "-h" || command === "--help" || command === "help") {
    output.stdout(usage);
    return 0;
  }
  if (command === "-v" || command === "--version") {
    output.stdout(await version());
    return 0;
  }
  if (command !== "serve") {
    output.stderr(`cdp: unknown command "${command}"\n\n${usage}`);
    return 1;
  }
  let values: { port?: string; host?: string; json?: boolean; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        json: { type: "boolean" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    output.stderr(`cdp serve: ${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (values.help) {
    output.stdout(usage);
    return 0;
  }
  const port = values.port === undefined ? 4000 : /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    output.stderr(`cdp serve: --port must be a whole number from 0 to 65535, not "${values.port}"`);
    return 1;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    output.stderr(`cdp serve: --seed must be a whole number, not "${values.seed}"`);
    return 1;
  }
  const host = values.host ?? "127.0.0.1";
  let backend: Awaited<ReturnType<typeof serve>>;
  try {
    backend = await serve({ port, host, json: values.json ?? false, ...(seed === undefined ? {} : { seed }) }, output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      output.stderr(`cdp serve: port ${port} on ${host} is already in use; pick another with --port (0 picks a free one)`);
    else if (code === "EACCES") output.stderr(`cdp serve: no permission to listen on port ${port}; use a port above 1023`);
    else output.stderr(`cdp serve: could not listen on ${host}:${port}: ${(error as Error).message}`);
    return 1;
  }
  const stop = () => {
    backend.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return undefined;
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
