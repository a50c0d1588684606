/** `clout attribute`: credit conversions to the touches before them, by a rule, Markov removal effects or Shapley. */
import { existsSync, readFileSync } from 'node:fs';
import { ATTRIBUTION_MODELS, parseChannelPaths, type AttributionResult } from '../../analysis/attribution/index.js';
import { ATTRIBUTION_OPTIONS, attributePaths, attributeStore, type AttributionDoc } from '../../app/attribution.js';
import { parseOptions } from '../../app/options.js';
import { CloutError } from '../../domain/index.js';
import { CHANNEL_LEVELS, resolveDbPath } from '../../store/index.js';
import { withExistingStore } from '../store.js';
import { renderTable, type Column } from '../../report/table.js';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { boolFlag, choiceFlag, intFlag, stringFlag, typesFlag } from '../options.js';

export const attributeCommand: Command = {
  name: 'attribute',
  summary: 'Credit conversions to the touches before them: last/first touch, linear, time decay, position, Markov, Shapley',
  usage:
    'clout attribute [--paths FILE | --db PATH [--by link|post|account|campaign] [--type sale,...] [--lookback-days 30]] ' +
    '[--model last_touch|first_touch|linear|time_decay|position_based|markov|shapley] [--order K] [--top N] [--json]',
  options: {
    paths: { type: 'string' },
    db: { type: 'string' },
    by: { type: 'string' },
    type: { type: 'string' },
    currency: { type: 'string' },
    'lookback-days': { type: 'string' },
    model: { type: 'string' },
    order: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: false,
  async run(values, _positionals, io) {
    const model = choiceFlag(values, 'model', ATTRIBUTION_MODELS, 'last_touch');
    const order = intFlag(values, 'order', 1, 1, 4);
    const top = intFlag(values, 'top', 20, 1, 1_000_000);
    const file = stringFlag(values, 'paths');
    let result: AttributionDoc;
    if (file !== undefined) {
      if (!existsSync(file)) throw new CloutError('file_not_found', `no such file: ${file}`);
      if (model === 'time_decay') throw new CloutError('usage', 'time_decay needs touch times; a path file has none (use the store)');
      result = attributePaths(parseChannelPaths(readFileSync(file, 'utf8'), file), { model, order });
    } else {
      const options = parseOptions(ATTRIBUTION_OPTIONS, {
        model,
        order,
        by: choiceFlag(values, 'by', CHANNEL_LEVELS, 'account'),
        type: typesFlag(values),
        lookback_days: intFlag(values, 'lookback-days', 30, 1, 3650),
        ...(values.currency !== undefined ? { currency: stringFlag(values, 'currency') } : {}),
      }, (n) => `--${n.replaceAll('_', '-')}`);
      result = await withExistingStore(resolveDbPath(stringFlag(values, 'db'), io.env), (store) => attributeStore(store.conn, options), 'give --paths FILE');
    }
    if (boolFlag(values, 'json')) {
      io.stdout(JSON.stringify(result, null, 2) + '\n');
      return EXIT.OK;
    }
    io.stdout(renderAttribution(result, top));
    return EXIT.OK;
  },
};

function renderAttribution(r: AttributionResult & { conversions_without_path?: number }, top: number): string {
  type Row = AttributionResult['channels'][number] & { rank: number };
  const columns: Column<Row>[] = [
    { header: '#', cell: (c) => String(c.rank), align: 'right' },
    { header: 'channel', cell: (c) => c.channel },
    { header: 'conversions', cell: (c) => c.conversions.toFixed(2), align: 'right' },
    { header: 'share', cell: (c) => (r.total_conversions > 0 ? `${((100 * c.conversions) / r.total_conversions).toFixed(1)}%` : '—'), align: 'right' },
    { header: 'value', cell: (c) => c.value.toFixed(2), align: 'right' },
  ];
  if (r.model === 'markov') columns.push({ header: 'removal effect', cell: (c) => (c.removal_effect ?? 0).toFixed(3), align: 'right' });
  const lines = [
    `attribution (${r.model}): ${r.total_conversions.toLocaleString('en-US')} conversions, value ${r.total_value.toLocaleString('en-US')}, ${r.channels.length} channels`,
    renderTable(r.channels.slice(0, top).map((c, i) => ({ ...c, rank: i + 1 })), columns).trimEnd(),
  ];
  if (r.conversions_without_path !== undefined && r.conversions_without_path > 0) {
    lines.push(`${r.conversions_without_path.toLocaleString('en-US')} conversions carry no click with a visitor id and have no path; no model credits them.`);
  }
  lines.push('Credit is evidence, not cause: buyers who would have bought anyway often click first. See clout impact for what changed.');
  return lines.join('\n') + '\n';
}
