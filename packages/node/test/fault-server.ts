import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Backend } from "@cdp/backend";

/**
 * What the server does with one request:
 * - `pass`: the backend answers;
 * - `503`: answered 503 without reaching the backend;
 * - `429`: answered 429 with `Retry-After: 1`;
 * - `drop`: the backend commits the batch, then the connection is destroyed before any answer;
 * - `slow`: the backend commits the batch, and its answer comes after `slowMs` (past the tracker's timeout);
 * - `hang`: never answered (until the server closes).
 */
export type Fault = "pass" | "503" | "429" | "drop" | "slow" | "hang";

export interface FaultServer {
  url: string;
  /** How each request was handled, in order, with the messageIds it carried. */
  log: Array<{ fault: Fault; messageIds: string[] }>;
  close(): Promise<void>;
}

/** A node:http server (node:https with `tls`) in front of `backend.fetch` that injects faults, request by request. */
export async function faultServer(
  backend: Backend,
  plan: (requestNumber: number) => Fault,
  slowMs = 1_500,
  tls?: { key: string; cert: string },
): Promise<FaultServer> {
  const log: FaultServer["log"] = [];
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response);
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const fault = plan(log.length + 1);
    let messageIds: string[] = [];
    try {
      messageIds = (JSON.parse(body) as { batch: Array<{ messageId: string }> }).batch.map((message) => message.messageId);
    } catch {
      // not a batch: logged without ids
    }
    log.push({ fault, messageIds });
    if (fault === "hang") return;
    if (fault === "503" || fault === "429") {
      response.writeHead(Number(fault), { "content-type": "application/json", ...(fault === "429" ? { "retry-after": "1" } : {}) });
      response.end(
        JSON.stringify({ error: { type: fault === "429" ? "rate_limit" : "server", code: "injected", message: "injected fault" } }),
      );
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    const answer = await backend.fetch(`http://localhost${request.url}`, { method: request.method ?? "POST", headers, body });
    const text = await answer.text();
    if (fault === "drop") {
      request.socket.destroy();
      return;
    }
    if (fault === "slow") await new Promise((resolve) => setTimeout(resolve, slowMs));
    if (response.destroyed) return;
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(text);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
