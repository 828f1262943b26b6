import { http } from "msw";
import type { Backend } from "./index.js";

export interface MswOptions {
  /** The origin the SDK is pointed at. Default `http://localhost:4000`. */
  baseUrl?: string;
}

/**
 * Request handlers for msw's `setupServer` / `setupWorker` that answer from the backend.
 *
 * @example
 * const server = setupServer(...mswHandlers(backend, { baseUrl: "https://cdp.test" }));
 * server.listen();
 */
export function mswHandlers(backend: Pick<Backend, "fetch">, options: MswOptions = {}) {
  const origin = (options.baseUrl ?? "http://localhost:4000").replace(/\/+$/, "");
  return [http.all(`${origin}/v1/*`, ({ request }) => backend.fetch(request))];
}
