/** The campaigns' causal impact in the terminal report: a few lines per campaign (effect, interval, p, calibration). */
import { campaignImpactText } from './campaign-impact-text.js';
import type { FullCampaignReport } from './full-report.js';

/** Renders each campaign's impact block (or why there is none); empty when there are no campaigns. */
export function renderCampaignImpacts(campaigns: readonly FullCampaignReport[]): string {
  if (campaigns.length === 0) return '';
  const out = ['\nWhat campaigns caused (causal impact on each campaign\'s outcome series; docs/impact.md)\n'];
  for (const c of campaigns) {
    const t = campaignImpactText(c.name ?? c.id, c.impact);
    out.push(`${t.heading}\n`);
    for (const line of [t.expected, t.effect, t.calibration]) if (line !== null) out.push(`  ${line}\n`);
    for (const w of c.impact.warnings) out.push(`  warning: ${w}\n`);
  }
  return out.join('');
}
