/** `clout attribute`: credit conversions to the touches before them, by a rule, Markov removal effects or Shapley. */
import { z } from 'zod';
import { ATTRIBUTION_OPTIONS, attributePathFile, attributeStore, type AttributionDoc } from '../../app/attribution.js';
import { CloutError } from '../../domain/index.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { formatFixed, formatInt, renderTable, type Column } from '../../report/table.js';
import { accountLabel, storeHandles } from '../../app/network.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand, topFlag } from '../command.js';

export const attributeCommand = defineCommand({
  name: 'attribute',
  summary: 'Credit conversions to the touches before them: last/first touch, linear, time decay, position, Markov, Shapley',
  options: ATTRIBUTION_OPTIONS,
  flags: z
    .object({
      paths: z.string().optional().describe('a CSV of channel paths (path,total_conversions[,total_value,total_null]) instead of the store'),
      ...DB_FLAG,
      ...topFlag(20),
      ...JSON_FLAG,
    })
    .strict(),
  notes: ['With --paths only --model and --order apply (a path file has no touch times, so no time_decay)'],
  example: 'clout attribute --model markov --by post --top 10',
  async run({ options, flags, given }, io) {
    const file = flags.paths;
    let result: AttributionDoc;
    let handles = new Map<string, string>();
    if (file !== undefined) {
      if (given.has('db')) throw new CloutError('usage', 'give either --paths or --db, not both');
      result = attributePathFile(file, options);
    } else {
      result = await withExistingStore(
        resolveDbPath(flags.db, io.env),
        async (store) => {
          if (options.by === 'account' && !flags.json) handles = await storeHandles(store.conn);
          return attributeStore(store.conn, options);
        },
        'give --paths FILE',
      );
    }
    if (flags.json) {
      io.stdout(JSON.stringify(result, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout(renderAttribution(result, flags.top, handles, options.currency));
    return EXIT.OK;
  },
});

/** A credited count: an integer when whole, else one decimal (rules, Markov and Shapley may split a conversion). */
function credit(x: number): string {
  return Math.abs(x - Math.round(x)) < 1e-9 ? formatInt(x) : formatFixed(x, 1);
}

function renderAttribution(r: AttributionDoc, top: number, handles: ReadonlyMap<string, string>, currency: string | undefined): string {
  type Row = AttributionDoc['channels'][number] & { rank: number };
  const columns: Column<Row>[] = [
    { header: '#', cell: (c) => String(c.rank), align: 'right' },
    { header: 'channel', cell: (c) => accountLabel(c.channel, handles) },
    { header: 'conversions', cell: (c) => credit(c.conversions), align: 'right' },
    { header: 'share', cell: (c) => (r.total_conversions > 0 ? `${((100 * c.conversions) / r.total_conversions).toFixed(1)}%` : '—'), align: 'right' },
    { header: currency ? `value (${currency})` : 'value', cell: (c) => formatFixed(c.value, 2), align: 'right' },
  ];
  if (r.model === 'markov') columns.push({ header: 'removal effect', cell: (c) => (c.removal_effect ?? 0).toFixed(3), align: 'right' });
  const lines = [
    `attribution (${r.model}): ${credit(r.total_conversions)} conversions, value ${formatFixed(r.total_value, 2)}${currency ? ` ${currency}` : ''}, ${formatInt(r.channels.length)} channels`,
    renderTable(r.channels.slice(0, top).map((c, i) => ({ ...c, rank: i + 1 })), columns).trimEnd(),
  ];
  if (r.conversions_without_path !== undefined && r.conversions_without_path > 0) {
    lines.push(`${formatInt(r.conversions_without_path)} conversions carry no click with a visitor id and have no path; no model credits them.`);
  }
  lines.push('Credit is evidence, not cause: buyers who would have bought anyway often click first. See clout impact for what changed.');
  return lines.join('\n') + '\n';
}
