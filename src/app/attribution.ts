/**
 * Use case "which touch gets credit" (`clout attribute`): conversions and the clicks before them read from the store
 * into journeys, credited by a rule, Markov removal effects or Shapley values — or journeys given as a path file
 * (path,total_conversions[,total_value,total_null]).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { ATTRIBUTION_MODELS, attribute, buildPaths, parseChannelPaths, type AttributionResult, type Path } from '../analysis/attribution/index.js';
import { CONVERSION_TYPES, CloutError, MS_PER_DAY, fromMinorUnits } from '../domain/index.js';
import { CHANNEL_LEVELS, clickedConversions, clickTouches, unpathedConversions, type Conn } from '../store/index.js';
import { currencyOption } from './report.js';

/** Options of `attribute`: one schema for the CLI's flags and the HTTP query. */
export const ATTRIBUTION_OPTIONS = z
  .object({
    model: z.enum(ATTRIBUTION_MODELS).default('last_touch').describe('how credit is shared among the touches of a journey'),
    order: z.number().int().min(1).max(4).default(1).describe('order of the Markov chain (markov only)'),
    by: z.enum(CHANNEL_LEVELS).default('account').describe('what a touch is credited to'),
    type: z.array(z.enum(CONVERSION_TYPES)).default([]).describe('conversion types that count (default: all)'),
    currency: currencyOption.optional().describe('the currency of the value credited (needed when conversions come in several)'),
    lookback_days: z.number().int().min(1).max(3650).default(30).describe('days before a conversion in which a click counts as a touch'),
  })
  .strict();
export type AttributionOptions = z.output<typeof ATTRIBUTION_OPTIONS>;

/** The `clout attribute --json` document. */
export type AttributionDoc = AttributionResult & { conversions_without_path?: number };

/** Credits conversions given as journeys (a path file, or the store's). */
export function attributePaths(paths: Path[], options: Pick<AttributionOptions, 'model' | 'order'>): AttributionDoc {
  return attribute(paths, options.model, { order: options.order });
}

/** Reads the store's click journeys before each conversion and credits them. */
export async function attributeStore(conn: Conn, options: AttributionOptions): Promise<AttributionDoc> {
  const conversions = await clickedConversions(conn, options.type, options.currency);
  const currencies = [...new Set(conversions.map((c) => c.currency).filter((c): c is string => c !== null))].sort();
  if (currencies.length > 1) {
    throw new CloutError('bad_option', `conversions come in several currencies (${currencies.join(', ')}); choose one with the currency option`);
  }
  const events = conversions.map((c) => ({ who: c.who, at: c.at, value: c.currency === null ? 0 : fromMinorUnits(c.value_minor, c.currency) }));
  const paths = buildPaths(await clickTouches(conn, options.by), events, { lookbackMs: options.lookback_days * MS_PER_DAY });
  const doc: AttributionDoc = attributePaths(paths, options);
  doc.conversions_without_path = await unpathedConversions(conn, options.type);
  return doc;
}

/** Credits the journeys of a path file (no touch times there, so no time_decay); errors name the file. */
export function attributePathFile(file: string, options: Pick<AttributionOptions, 'model' | 'order'>): AttributionDoc {
  if (options.model === 'time_decay') throw new CloutError('usage', 'time_decay needs touch times; a path file has none (use the store)');
  if (!existsSync(file)) throw new CloutError('file_not_found', `cannot read ${file}: no such path file`);
  if (statSync(file).isDirectory()) throw new CloutError('usage', `cannot read ${file}: it is a directory, not a path file`);
  return attributePaths(parseChannelPaths(readFileSync(file, 'utf8'), file), options);
}
