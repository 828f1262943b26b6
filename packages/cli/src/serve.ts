import { type Backend, createBackend } from "@cdp/backend";

export interface ServeOptions {
  port: number;
  host: string;
  json: boolean;
  seed?: number;
}

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * `cdp serve`: the reference backend over HTTP with a seeded workspace. With `json`, exactly one
 * line goes to stdout once it listens; everything else goes to stderr.
 */
export async function serve(options: ServeOptions, output: Output): Promise<Backend> {
  const backend = createBackend({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    logError: (error, requestId) => output.stderr(`[cdp] ${requestId} internal error: ${(error as Error)?.stack ?? String(error)}`),
  });
  const { url } = await backend.listen({ port: options.port, host: options.host });
  if (options.json) {
    output.stdout(JSON.stringify({ url, workspaceId: backend.workspaceId, adminKey: backend.adminKey, writeKey: backend.writeKey }));
  } else {
    output.stdout(
      [
        `@cdp reference backend listening on ${url}`,
        "",
        `  API           ${url}/v1`,
        `  workspace     ${backend.workspaceId}`,
        `  admin key     ${backend.adminKey}`,
        `  write key     ${backend.writeKey}`,
        "",
        "Everything is kept in memory and gone when this stops (Ctrl+C).",
      ].join("\n"),
    );
  }
  return backend;
}
