import { type CustomerExport, NotFoundError } from "@cdp/sdk";
import type { PrivacyClient, RecordOutcome } from "@cdp/sdk/webhooks";
import type { MappingContext } from "./mapping.js";
import type { ShopifyCustomersDataRequest, ShopifyCustomersRedact, ShopifyShopRedact } from "./payloads.js";

/** What a customers/data_request asked for, with what the CDP holds about that customer. */
export interface ShopifyDataRequest {
  /** The shop's domain. */
  shop: string;
  /** Shopify's id of the request (`data_request.id`). */
  dataRequestId: string | null;
  /** The customer as Shopify names them. */
  customer: { id: string; email: string | null; phone: string | null };
  /** The orders the request covers. */
  ordersRequested: string[];
  /** Everything the CDP holds about the customer (`dpo.customers.export`), or null when it holds nothing. */
  export: CustomerExport | null;
}

const noDpo = {
  code: "dpo_client_missing",
  message: "A GDPR topic arrived but the handler has no `dpo` client: nothing was erased or exported. Pass `dpo` (a dpo key).",
};

/** customers/redact → `dpo.customers.erase` of the profile holding that shop customer's id (else its email). */
export async function redactCustomer(
  payload: ShopifyCustomersRedact,
  context: MappingContext,
  dpo: PrivacyClient | undefined,
): Promise<RecordOutcome> {
  if (!dpo) return { status: "ignored", rejected: [noDpo] };
  const customerId = await findCustomer(dpo, payload.customer, context);
  if (customerId === undefined) return { status: "ignored" };
  await dpo.customers.erase(customerId, { reason: `Shopify customers/redact from ${context.shop}` });
  return { status: "recorded" };
}

/** customers/data_request → `dpo.customers.export`, handed to `onDataRequest`. */
export async function answerDataRequest(
  payload: ShopifyCustomersDataRequest,
  context: MappingContext,
  dpo: PrivacyClient | undefined,
  onDataRequest: ((request: ShopifyDataRequest) => void | Promise<void>) | undefined,
): Promise<RecordOutcome> {
  if (!dpo) return { status: "ignored", rejected: [noDpo] };
  if (!onDataRequest) {
    return {
      status: "ignored",
      rejected: [
        {
          code: "data_request_callback_missing",
          message: "A customers/data_request arrived but no `onDataRequest` callback takes the export.",
        },
      ],
    };
  }
  const customerId = await findCustomer(dpo, payload.customer, context);
  const data = customerId === undefined ? null : await dpo.customers.export(customerId);
  await onDataRequest({
    shop: context.shop,
    dataRequestId: payload.data_request?.id === undefined ? null : String(payload.data_request.id),
    customer: { id: String(payload.customer.id), email: payload.customer.email ?? null, phone: payload.customer.phone ?? null },
    ordersRequested: (payload.orders_requested ?? []).map(String),
    export: data,
  });
  return { status: "recorded" };
}

/** shop/redact → `dpo.privacy.eraseSource({ source: "shopify:<shop>" })`: everything the shop wrote. */
export async function redactShop(
  _payload: ShopifyShopRedact,
  context: MappingContext,
  dpo: PrivacyClient | undefined,
): Promise<RecordOutcome> {
  if (!dpo) return { status: "ignored", rejected: [noDpo] };
  await dpo.privacy.eraseSource({ source: context.source, reason: `Shopify shop/redact for ${context.shop}` });
  return { status: "recorded" };
}

/** The profile of a shop customer: by its userId, else by its email, else by its phone. */
async function findCustomer(
  dpo: PrivacyClient,
  customer: { id: string | number; email?: string | null; phone?: string | null },
  context: MappingContext,
): Promise<string | undefined> {
  const candidates: Array<{ type: string; value: string }> = [
    { type: "userId", value: context.userIdOf(String(customer.id), context.shop) },
  ];
  if (customer.email) candidates.push({ type: "email", value: customer.email });
  if (customer.phone) candidates.push({ type: "phone", value: customer.phone });
  for (const candidate of candidates) {
    try {
      return (await dpo.customers.lookup(candidate)).id;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return undefined;
}
