/**
 * Campaign progress (`clout campaigns`): each campaign's line of the credit report plus its calendar — days run and
 * left as of the store's latest conversion, the pace so far and the pace still needed to reach the goal. Pure.
 */
import { MS_PER_DAY, type CampaignCreditRow, type CampaignRow } from '../domain/index.js';
import { buildCampaigns, type CampaignReport } from './credit-report.js';

/** One campaign with its calendar and pace. */
export interface CampaignProgress extends CampaignReport {
  starts_at: string | null;
  ends_at: string | null;
  /** Whole days from the start to `as_of` (or to the end, when it has passed); null without a start. */
  days_run: number | null;
  /** Whole days from `as_of` to the end; 0 once ended; null without an end. */
  days_left: number | null;
  status: 'not_started' | 'running' | 'ended' | 'undated';
  /** Raised per day run (major units). */
  pace_per_day: number | null;
  /** What each remaining day must raise to meet the goal (0 when met; null when ended, undated or without a goal). */
  needed_per_day: number | null;
}

/** The `clout campaigns` document. */
export interface CampaignsDoc {
  /** The time the calendar is read at: the store's latest conversion (so the answer does not move with the clock). */
  as_of: string | null;
  campaigns: CampaignProgress[];
}

/** Builds each campaign's progress and pace as of `asOf` (epoch ms; null when the store has no conversion). */
export function buildCampaignProgress(
  rows: { campaigns: CampaignRow[]; campaignCredit: CampaignCreditRow[] },
  handles: ReadonlyMap<string, string | null>,
  asOf: number | null,
): CampaignsDoc {
  const byId = new Map(rows.campaigns.map((c) => [c.id, c]));
  const campaigns = buildCampaigns(rows, handles).map((line): CampaignProgress => {
    const c = byId.get(line.id)!;
    const start = c.starts_at, end = c.ends_at;
    const at = asOf ?? end ?? start;
    let status: CampaignProgress['status'] = 'undated';
    if (start !== null && at !== null && at < start) status = 'not_started';
    else if (end !== null && at !== null && at >= end) status = 'ended';
    else if (start !== null || end !== null) status = 'running';
    const runTo = end !== null && at !== null ? Math.min(at, end) : at;
    const daysRun = start === null || runTo === null ? null : Math.max(0, Math.ceil((runTo - start) / MS_PER_DAY));
    const daysLeft = end === null || at === null ? null : Math.max(0, Math.ceil((end - at) / MS_PER_DAY));
    const pace = daysRun !== null && daysRun > 0 ? line.raised / daysRun : null;
    const toGo = line.goal_value === null ? null : Math.max(0, line.goal_value - line.raised);
    const needed = toGo === null || status === 'ended' || status === 'undated' ? null : toGo === 0 ? 0 : daysLeft !== null && daysLeft > 0 ? toGo / daysLeft : null;
    return {
      ...line,
      starts_at: start === null ? null : new Date(start).toISOString(),
      ends_at: end === null ? null : new Date(end).toISOString(),
      days_run: daysRun,
      days_left: daysLeft,
      status,
      pace_per_day: pace,
      needed_per_day: needed,
    };
  });
  return { as_of: asOf === null ? null : new Date(asOf).toISOString(), campaigns };
}
