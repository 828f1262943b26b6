import { type Cdp, ConflictError } from "@cdp/sdk";

export interface Signup {
  email: string;
  firstName?: string;
  newsletter: boolean;
  /** The shop's own customer id, when the shopper has an account. */
  accountId?: string;
}

/**
 * The code under test: a storefront's sign-up handler. It records the shopper as a customer,
 * or updates the profile that already holds the email (the sync rule), and tags newsletter sign-ups.
 */
export async function recordSignup(cdp: Cdp, signup: Signup): Promise<{ customerId: string; isNew: boolean }> {
  const { customer, outcome } = await cdp.customers.create({
    email: signup.email,
    ...(signup.firstName ? { firstName: signup.firstName } : {}),
    ...(signup.accountId ? { identifiers: [{ type: "userId", value: signup.accountId }] } : {}),
    ...(signup.newsletter ? { tags: ["newsletter"] } : {}),
    onConflict: "merge",
  });
  return { customerId: customer.id, isNew: outcome === "created" };
}

/** Gives an account id to the profile holding an email; false when another profile has that account. */
export async function linkAccount(cdp: Cdp, email: string, accountId: string): Promise<boolean> {
  const customer = await cdp.customers.lookup({ type: "email", value: email });
  try {
    await cdp.customers.addIdentifier(customer.id, { type: "userId", value: accountId });
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
