/** Money amounts as exports print them (`12.50`, `1,234.56`, `1500`), read as decimal major units. */

const PLAIN = /^[-+]?(\d+\.?\d*|\.\d+)$/;
const GROUPED = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** A decimal amount in major units, or undefined when `text` is not one (thousands separators `,` are accepted). */
export function parseAmount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (PLAIN.test(t)) return Number(t);
  if (GROUPED.test(t)) return Number(t.replace(/,/g, ''));
  return undefined;
}
