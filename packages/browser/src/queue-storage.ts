import type { TrackingStorage } from "@cdp/sdk/tracking";
import { readJson, remove, write } from "./storage.js";

interface Stored {
  messageId: string;
  timestamp: string;
}

/**
 * The tracking core's storage over localStorage (one JSON array under `key`): what was queued
 * survives a reload or a time offline. On load, messages older than `ttl` ms and repeated messageIds
 * are left out. On save, the newest messages that fit `maxBytes` (characters of the stored JSON) are
 * kept, and a quota error halves them until they fit. While `allowed()` is false nothing is read and
 * the key is removed.
 */
export function queueStorage(key: string, maxBytes: number, ttl: number, allowed: () => boolean): TrackingStorage {
  return {
    load() {
      const list = allowed() && readJson<Stored[]>(key);
      const ids = new Set<string>();
      return Array.isArray(list)
        ? list
            .filter(
              (message) =>
                message && !ids.has(message.messageId) && ids.add(message.messageId) && Date.now() - Date.parse(message.timestamp) < ttl,
            )
            .map((message) => JSON.stringify(message))
        : [];
    },
    save(messages) {
      if (!allowed()) return remove(key);
      let start = messages.length;
      for (let size = 1; start > 0 && size + (messages[start - 1] as string).length + 1 <= maxBytes; )
        size += (messages[--start] as string).length + 1;
      let kept = messages.slice(start);
      while (kept.length > 0 && !write(key, `[${kept}]`)) kept = kept.slice(Math.ceil(kept.length / 2));
      if (kept.length === 0) remove(key);
    },
  };
}
