/** Reads the report's inputs from the store (the I/O edge of the report). */
import type { Store } from '../store/index.js';
import { accountActivity, accountCredit, campaignCredit, campaignTotals, conversionTotals } from '../store/index.js';
import type { ReportInput, ReportOptions } from './influence-report.js';

/** Loads everything the influence report needs for the given outcome types. */
export async function loadReportInput(store: Store, options: Pick<ReportOptions, 'types'>): Promise<ReportInput> {
  const filter = { types: options.types };
  return {
    activity: await accountActivity(store),
    credit: await accountCredit(store, filter),
    totals: await conversionTotals(store, filter),
    campaigns: await campaignTotals(store),
    campaignCredit: await campaignCredit(store),
  };
}
