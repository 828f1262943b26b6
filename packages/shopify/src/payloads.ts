/**
 * The parts of Shopify's REST webhook payloads the plug-in reads (Admin API, JSON). Ids are strings
 * here: the handler parses them without losing precision (order ids exceed 2^53), and a small id may
 * still arrive as a number.
 */

/** An id as parsed: a decimal string beyond 2^53, else whatever JSON held. */
export type ShopifyId = string | number;

export interface ShopifyMoneySet {
  shop_money?: { amount?: string; currency_code?: string };
  presentment_money?: { amount?: string; currency_code?: string };
}

export interface ShopifyAddress {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country?: string | null;
  country_code?: string | null;
  phone?: string | null;
}

export interface ShopifyMarketingConsent {
  state?: "subscribed" | "not_subscribed" | "unsubscribed" | "pending" | "redacted" | "invalid" | null;
  opt_in_level?: string | null;
  consent_updated_at?: string | null;
}

export interface ShopifyCustomer {
  id: ShopifyId;
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  state?: string | null;
  tags?: string | null;
  currency?: string | null;
  verified_email?: boolean;
  default_address?: ShopifyAddress | null;
  addresses?: ShopifyAddress[];
  email_marketing_consent?: ShopifyMarketingConsent | null;
  sms_marketing_consent?: ShopifyMarketingConsent | null;
  /** Deprecated by Shopify in favour of `email_marketing_consent`; still read when the other is absent. */
  accepts_marketing?: boolean | null;
}

export interface ShopifyLineItem {
  id?: ShopifyId;
  product_id?: ShopifyId | null;
  variant_id?: ShopifyId | null;
  sku?: string | null;
  title?: string | null;
  name?: string | null;
  variant_title?: string | null;
  vendor?: string | null;
  price?: string | null;
  quantity?: number;
}

export interface ShopifyOrder {
  id: ShopifyId;
  name?: string;
  order_number?: number;
  email?: string | null;
  phone?: string | null;
  created_at?: string;
  updated_at?: string;
  processed_at?: string | null;
  cancelled_at?: string | null;
  cancel_reason?: string | null;
  currency?: string;
  financial_status?: string | null;
  total_price?: string;
  subtotal_price?: string;
  total_tax?: string;
  total_discounts?: string;
  total_shipping_price_set?: ShopifyMoneySet;
  shipping_lines?: Array<{ price?: string; title?: string }>;
  discount_codes?: Array<{ code?: string; amount?: string; type?: string }>;
  line_items?: ShopifyLineItem[];
  customer?: ShopifyCustomer | null;
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  checkout_token?: string | null;
  browser_ip?: string | null;
}

export interface ShopifyRefund {
  id: ShopifyId;
  order_id: ShopifyId;
  created_at?: string;
  processed_at?: string | null;
  note?: string | null;
  refund_line_items?: Array<{
    id?: ShopifyId;
    line_item_id?: ShopifyId;
    quantity?: number;
    subtotal?: number | string;
    total_tax?: number | string;
    subtotal_set?: ShopifyMoneySet;
    line_item?: ShopifyLineItem;
  }>;
  transactions?: Array<{ id?: ShopifyId; kind?: string; status?: string; amount?: string; currency?: string }>;
}

export interface ShopifyCheckout {
  id?: ShopifyId;
  token: string;
  cart_token?: string | null;
  email?: string | null;
  phone?: string | null;
  created_at?: string;
  updated_at?: string;
  completed_at?: string | null;
  currency?: string;
  presentment_currency?: string;
  subtotal_price?: string;
  total_price?: string;
  total_tax?: string;
  total_discounts?: string;
  discount_codes?: Array<{ code?: string; amount?: string }>;
  shipping_lines?: Array<{ price?: string; title?: string }>;
  shipping_address?: ShopifyAddress | null;
  billing_address?: ShopifyAddress | null;
  gateway?: string | null;
  line_items?: ShopifyLineItem[];
  customer?: ShopifyCustomer | null;
}

/** customers/redact (mandatory GDPR topic). */
export interface ShopifyCustomersRedact {
  shop_id: ShopifyId;
  shop_domain: string;
  customer: { id: ShopifyId; email?: string | null; phone?: string | null };
  orders_to_redact?: ShopifyId[];
}

/** customers/data_request (mandatory GDPR topic). */
export interface ShopifyCustomersDataRequest {
  shop_id: ShopifyId;
  shop_domain: string;
  orders_requested?: ShopifyId[];
  customer: { id: ShopifyId; email?: string | null; phone?: string | null };
  data_request?: { id: ShopifyId };
}

/** shop/redact (mandatory GDPR topic). */
export interface ShopifyShopRedact {
  shop_id: ShopifyId;
  shop_domain: string;
}
