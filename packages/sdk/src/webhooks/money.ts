/**
 * Money as the e-commerce spec carries it here: decimal strings, never floats (DESIGN §3). The
 * platforms send strings ("199.00"); a JSON number is taken as written.
 */

/** A price as a decimal string, or undefined when there is none or it is not a number. */
export function decimal(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  return /^-?\d+(\.\d+)?$/.test(text) ? text : undefined;
}

/** The exact sum of decimal amounts (those that are not amounts are skipped), as a decimal string. */
export function sumDecimals(values: readonly unknown[]): string {
  const amounts = values.map(decimal).filter((value): value is string => value !== undefined);
  const scale = Math.max(0, ...amounts.map((amount) => amount.split(".")[1]?.length ?? 0));
  let total = 0n;
  for (const amount of amounts) {
    const negative = amount.startsWith("-");
    const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
    const units = BigInt(whole + fraction.padEnd(scale, "0"));
    total += negative ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
