/** `clout conversions`: each conversion with the rule that tied it to a link, post or account, and how many each rule tied. */
import { z } from 'zod';
import { CONVERSIONS_OPTIONS, listConversions, type ConversionsDoc } from '../../app/conversions.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { tiedByLine } from '../../report/ties.js';
import { formatInt, formatMoney, renderTable } from '../../report/table.js';
import { DB_FLAG, EXIT, JSON_FLAG, defineCommand } from '../command.js';

export const conversionsCommand = defineCommand({
  name: 'conversions',
  summary: 'Each conversion and the rule that tied it (click id, link, post, code, UTM tags, nothing), with counts per rule',
  options: CONVERSIONS_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  notes: ['Rules are tried in order: click id, the link or post the record names, a code valid at its time, UTM tags matching a link, nothing (docs/importers.md).'],
  example: 'clout conversions --tie none --limit 20',
  async run({ options, flags }, io) {
    const doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => listConversions(store.conn, options));
    io.stdout(flags.json ? JSON.stringify(doc, null, 2) + '\n' : renderConversions(doc));
    return EXIT.OK;
  },
});

/** Terminal rendering: the counts per rule, then the listed conversions. */
function renderConversions(doc: ConversionsDoc): string {
  if (doc.conversions === 0) return 'No conversions in the store: import orders (Stripe, Shopify) or a conversions file.\n';
  let text = `${formatInt(doc.conversions)} conversions tied ${tiedByLine(doc.tied_by)}\n\n`;
  if (doc.listed.length === 0) return text + 'None match.\n';
  text += renderTable(doc.listed, [
    { header: 'conversion', cell: (c) => c.id },
    { header: 'at', cell: (c) => c.at.replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z') },
    { header: 'value', cell: (c) => formatMoney(c.value, c.currency), align: 'right' },
    { header: 'tied by', cell: (c) => (c.tie === 'code' ? `code ${c.code}` : c.tie) },
    { header: 'account', cell: (c) => c.account ?? '–' },
    { header: 'post', cell: (c) => c.post_id ?? '–' },
  ]);
  return text;
}
