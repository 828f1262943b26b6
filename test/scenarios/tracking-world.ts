import { createBackend, manualClock } from "@cdp/backend";
import { Cdp } from "@cdp/sdk";

/**
 * A backend on a manual clock, an admin SDK client, and `post`: a tracking body sent as a tracker
 * sends it (JSON, the write key as HTTP Basic user name), answered as status and parsed body.
 */
export function trackingWorld(seed: number, start = "2026-04-01T10:00:00.000Z") {
  const clock = manualClock(start);
  const backend = createBackend({ clock, seed });
  const cdp = new Cdp({ fetch: backend.fetch, apiKey: backend.adminKey });
  const post = async (path: string, body: unknown) => {
    const response = await backend.fetch(`http://cdp.test/v1/${path}`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${backend.writeKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { backend, clock, cdp, post };
}
