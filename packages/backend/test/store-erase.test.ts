/**
 * The memory store's erasure, seen from the Store interface: after `eraseCustomer` nothing kept
 * about the customer is left — not even what no route can read any more once its record is gone
 * (changelog, ID changelog, consents, subscriptions), which the HTTP tests cannot see.
 */
import { createMemoryStore } from "@cdp/backend";
import { describe, expect, it } from "vitest";

const workspaceId = "ws_1";
const at = "2026-03-01T10:00:00.000Z";

function arrange() {
  const store = createMemoryStore();
  for (const id of ["cus_1", "cus_2"]) {
    store.putCustomer({
      id,
      workspaceId,
      status: "active",
      mergedInto: null,
      restricted: false,
      base: { firstName: "Ann" },
      properties: {},
      traits: {},
      identifiers: [{ type: "email", value: `${id}@example.com`, addedAt: at, source: "api" }],
      tags: [],
      createdAt: at,
      updatedAt: at,
      fieldWrites: {},
    });
    store.appendChangelog({ id: `chg_${id}`, at, kind: "created", source: "api", initiator: null, workspaceId, customerId: id });
    store.appendIdentityChange({
      type: "email",
      value: `${id}@example.com`,
      action: "added",
      at,
      source: "api",
      workspaceId,
      customerId: id,
    });
    store.putEvent({
      id: `evt_${id}`,
      messageId: `m-${id}`,
      type: "Order Completed",
      category: "ecommerce",
      timestamp: at,
      receivedAt: at,
      properties: {},
      context: {},
      source: "api",
      customerId: id,
      workspaceId,
    });
    store.appendConsent({
      id: `con_${id}`,
      customerId: id,
      recordedOn: id,
      kind: "decision",
      purpose: "marketing",
      decision: "granted",
      active: null,
      disclaimer: null,
      source: "api",
      collectedAt: at,
      recordedAt: at,
      historicalImport: false,
      proof: null,
      tcfString: null,
      recordedBy: null,
      workspaceId,
    });
  }
  return store;
}

describe("the memory store's eraseCustomer", () => {
  it("removes the record, its identifier index, events, changelog, ID changelog and consents, and nothing of another customer", () => {
    const store = arrange();

    expect(store.eraseCustomer(workspaceId, "cus_1")).toEqual({ events: 1 });

    expect(store.getCustomer(workspaceId, "cus_1")).toBeUndefined();
    expect(store.findCustomerIdByIdentifier(workspaceId, "email", "cus_1@example.com")).toBeUndefined();
    expect(store.eventsOfCustomer(workspaceId, "cus_1")).toEqual([]);
    expect(store.getEvent(workspaceId, "evt_cus_1")).toBeUndefined();
    expect(store.listChangelog(workspaceId, "cus_1", undefined, 100)).toEqual([]);
    expect(store.listIdentityChanges(workspaceId, "cus_1")).toEqual([]);
    expect(store.listConsents(workspaceId, "cus_1")).toEqual([]);

    expect(store.getCustomer(workspaceId, "cus_2")?.id).toBe("cus_2");
    expect(store.listChangelog(workspaceId, "cus_2", undefined, 100)).toHaveLength(1);
    expect(store.listIdentityChanges(workspaceId, "cus_2")).toHaveLength(1);
    expect(store.eventsOfCustomer(workspaceId, "cus_2")).toHaveLength(1);
    expect(store.listConsents(workspaceId, "cus_2")).toHaveLength(1);
  });
});
