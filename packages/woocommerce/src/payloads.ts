/**
 * The parts of WooCommerce's REST API v3 shapes (what its webhooks deliver) the plug-in reads.
 * Money comes as decimal strings, except a line item's `price`, which is a JSON number.
 */

export interface WooAddress {
  first_name?: string;
  last_name?: string;
  company?: string;
  address_1?: string;
  address_2?: string;
  city?: string;
  state?: string;
  postcode?: string;
  country?: string;
  email?: string;
  phone?: string;
}

export interface WooMeta {
  id?: number;
  key: string;
  value: unknown;
}

export interface WooLineItem {
  id?: number | string;
  name?: string;
  product_id?: number | string;
  variation_id?: number | string;
  quantity?: number;
  subtotal?: string;
  total?: string;
  total_tax?: string;
  sku?: string;
  price?: number | string;
  parent_name?: string | null;
}

export type WooOrderStatus =
  | "pending"
  | "processing"
  | "on-hold"
  | "completed"
  | "cancelled"
  | "refunded"
  | "failed"
  | "trash"
  | "checkout-draft";

export interface WooOrder {
  id: number | string;
  parent_id?: number | string;
  number?: string;
  order_key?: string;
  created_via?: string;
  status: WooOrderStatus | string;
  currency?: string;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
  date_paid_gmt?: string | null;
  date_completed_gmt?: string | null;
  discount_total?: string;
  shipping_total?: string;
  shipping_tax?: string;
  cart_tax?: string;
  total?: string;
  total_tax?: string;
  prices_include_tax?: boolean;
  customer_id?: number | string;
  billing?: WooAddress;
  shipping?: WooAddress;
  payment_method?: string;
  payment_method_title?: string;
  line_items?: WooLineItem[];
  shipping_lines?: Array<{ id?: number; method_title?: string; method_id?: string; total?: string; total_tax?: string }>;
  coupon_lines?: Array<{ id?: number; code?: string; discount?: string }>;
  refunds?: Array<{ id: number | string; reason?: string; total?: string }>;
  meta_data?: WooMeta[];
}

export interface WooCustomer {
  id: number | string;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
  email?: string;
  first_name?: string;
  last_name?: string;
  role?: string;
  username?: string;
  billing?: WooAddress;
  shipping?: WooAddress;
  is_paying_customer?: boolean;
  meta_data?: WooMeta[];
}
