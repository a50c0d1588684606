/** Which outcome a use case is about: the one asked for, else the most common conversion type in the store. */
import { CONVERSION_TYPES, type ConversionType } from '../domain/index.js';
import { conversionTypeCounts, type Conn } from '../store/index.js';

/** The outcome type to analyse: `asked` when given, else the store's most common conversion type (sale when none). */
export async function resolveOutcomeType(conn: Conn, asked: ConversionType | undefined): Promise<ConversionType> {
  if (asked !== undefined) return asked;
  const counts = await conversionTypeCounts(conn);
  const first = counts.find((c) => (CONVERSION_TYPES as readonly string[]).includes(c.type));
  return (first?.type as ConversionType | undefined) ?? 'sale';
}
