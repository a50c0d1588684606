/** Reads the last-touch report's rows from the store: activity per account, credit by last click, campaigns. */
import type { CreditReportInput } from '../report/index.js';
import { accountActivity, accountCredit, campaignCredit, campaignTotals, conversionTotals, type Conn } from '../store/index.js';

/** Loads everything the last-touch report needs for the given outcome types. */
export async function loadLastTouchRows(conn: Conn, options: { types: readonly string[] }): Promise<CreditReportInput> {
  const filter = { types: options.types };
  return {
    activity: await accountActivity(conn),
    credit: await accountCredit(conn, filter),
    totals: await conversionTotals(conn, filter),
    campaigns: await campaignTotals(conn),
    campaignCredit: await campaignCredit(conn),
  };
}
