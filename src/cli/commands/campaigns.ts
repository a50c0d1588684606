/** `clout campaigns`: each campaign's goal, raised, progress, calendar, pace and top contributing accounts. */
import { z } from 'zod';
import { campaigns } from '../../app/campaigns.js';
import type { CampaignsDoc } from '../../report/index.js';
import { formatFixed, formatInt, formatMoney, renderTable } from '../../report/table.js';
import { resolveDbPath, withExistingStore } from '../../app/store.js';
import { DB_FLAG, EXIT, JSON_FLAG, NO_OPTIONS, defineCommand } from '../command.js';

export const campaignsCommand = defineCommand({
  name: 'campaigns',
  summary: 'Campaign progress: goal, raised, share of goal, days left, pace so far and pace needed, top accounts',
  options: NO_OPTIONS,
  flags: z.object({ ...DB_FLAG, ...JSON_FLAG }).strict(),
  notes: ['Days and pace are read as of the store\'s latest conversion; credit to accounts is last touch (clout report has the rest).'],
  example: 'clout campaigns --json',
  async run({ flags }, io) {
    const doc = await withExistingStore(resolveDbPath(flags.db, io.env), (store) => campaigns(store.conn));
    io.stdout(flags.json ? JSON.stringify(doc, null, 2) + '\n' : renderCampaigns(doc));
    return EXIT.OK;
  },
});

/** Terminal rendering: one table, then each campaign's top accounts. */
function renderCampaigns(doc: CampaignsDoc): string {
  if (doc.campaigns.length === 0) return 'No campaigns in the store: import a campaigns file (docs/formats.md).\n';
  const money = (x: number | null, cur: string | null) => (x === null ? '–' : formatMoney(x, cur));
  const table = renderTable(doc.campaigns, [
    { header: 'campaign', cell: (c) => c.name ?? c.id },
    { header: 'status', cell: (c) => c.status.replace('_', ' ') },
    { header: 'goal', cell: (c) => money(c.goal_value, c.currency), align: 'right' },
    { header: 'raised', cell: (c) => money(c.raised, c.currency), align: 'right' },
    { header: 'of goal', cell: (c) => (c.progress === null ? '–' : `${formatFixed(100 * c.progress, 1)}%`), align: 'right' },
    { header: 'contributors', cell: (c) => formatInt(c.contributors), align: 'right' },
    { header: 'days run', cell: (c) => (c.days_run === null ? '–' : formatInt(c.days_run)), align: 'right' },
    { header: 'days left', cell: (c) => (c.days_left === null ? '–' : formatInt(c.days_left)), align: 'right' },
    { header: 'per day so far', cell: (c) => money(c.pace_per_day, c.currency), align: 'right' },
    { header: 'per day needed', cell: (c) => money(c.needed_per_day, c.currency), align: 'right' },
  ]);
  const tops = doc.campaigns
    .filter((c) => c.top_accounts.length > 0)
    .map((c) => `  ${c.name ?? c.id}: ${c.top_accounts.map((t) => `${t.handle ?? t.id} ${money(t.value, c.currency)} (${formatInt(t.conversions)})`).join(', ')}`)
    .join('\n');
  return (
    `Campaigns as of ${doc.as_of ?? 'no conversions yet'}\n\n${table}` +
    (tops ? `\nTop contributing accounts (credited by last touch: value, conversions)\n${tops}\n` : '')
  );
}
