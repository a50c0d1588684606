/**
 * The report's causal impact of every campaign, from the store: `loadCampaignImpacts` reads each campaign's outcome
 * series around its start (or keeps the reason there is none); `fitCampaignImpacts` runs the impact engine on each
 * series long enough (pure, seeded; the report runs it beside the outcome model, in a worker on the server).
 */
import { causalImpact, type ImpactResult } from '../analysis/impact/index.js';
import { CloutError } from '../domain/index.js';
import { campaignImpactRuns, type CampaignImpactInput } from '../report/index.js';
import type { Conn } from '../store/index.js';
import { outcomeCurrency, storeImpactInput } from './impact.js';

/** Loads one campaign's outcome series (its metric series, else its conversions per bucket), or why there is none. */
export async function loadCampaignImpact(conn: Conn, campaign: string): Promise<CampaignImpactInput> {
  try {
    const input = await storeImpactInput(conn, { campaign, controls: [], types: [] });
    return {
      campaign_id: campaign,
      series: {
        data: input.data,
        bucket: input.bucket,
        event_at: input.event.at,
        outcome: input.outcome,
        currency: await outcomeCurrency(conn, campaign, input.outcome),
        notes: input.notes,
      },
      note: null,
    };
  } catch (e) {
    if (e instanceof CloutError) return { campaign_id: campaign, series: null, note: e.message };
    throw e;
  }
}

/** Loads the outcome series of each campaign, in order. */
export async function loadCampaignImpacts(conn: Conn, campaigns: readonly string[]): Promise<CampaignImpactInput[]> {
  const out: CampaignImpactInput[] = [];
  for (const id of campaigns) out.push(await loadCampaignImpact(conn, id));
  return out;
}

/** Runs the impact engine (seeded) on every campaign whose series is long enough; by campaign id. */
export function fitCampaignImpacts(inputs: readonly CampaignImpactInput[], seed: number): Map<string, ImpactResult> {
  const out = new Map<string, ImpactResult>();
  for (const c of inputs) if (campaignImpactRuns(c)) out.set(c.campaign_id, causalImpact(c.series!.data, { seed }));
  return out;
}
