/** Use case "how are my campaigns doing?" (`clout campaigns`): goal, raised, progress, pace and top accounts of each. */
import { buildCampaignProgress, type CampaignsDoc } from '../report/index.js';
import { accountActivity, campaignCredit, campaignTotals, conversionSpan, type Conn } from '../store/index.js';

/** Reads the campaigns, their credited accounts and the store's latest conversion, and builds their progress. */
export async function campaigns(conn: Conn): Promise<CampaignsDoc> {
  const handles = new Map((await accountActivity(conn)).map((a) => [a.id, a.handle]));
  const span = await conversionSpan(conn);
  return buildCampaignProgress({ campaigns: await campaignTotals(conn), campaignCredit: await campaignCredit(conn) }, handles, span.last);
}
