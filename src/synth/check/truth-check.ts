/**
 * Compares a report's rankings with the planted truth of a synthetic world: how well do followers, and how well
 * do attributed outcomes, rank accounts by their planted persuasion? Pure.
 */
import { spearman } from '../../analysis/stats/rank.js';
import type { CreditReport } from '../../report/index.js';

/** The part of truth.json this check reads. */
export interface PlantedPersuasion {
  accounts: { id: string; persuasion: number }[];
}

/** Rank correlations of followers and of attributed outcomes with planted persuasion, over the report's accounts. */
export interface TruthCheck {
  n: number;
  spearman_outcomes_vs_persuasion: number | null;
  spearman_followers_vs_persuasion: number | null;
  spearman_clicks_vs_persuasion: number | null;
}

/** Checks the report against planted persuasion (accounts missing from the truth are skipped). */
export function checkAgainstTruth(report: CreditReport, truth: PlantedPersuasion): TruthCheck {
  const persuasion = new Map(truth.accounts.map((a) => [a.id, a.persuasion]));
  const rows = report.accounts.filter((a) => persuasion.has(a.id));
  const planted = rows.map((a) => persuasion.get(a.id)!);
  const outcome = rows.map((a) =>
    report.outcome.rank_by === 'conversions' ? a.conversions : report.outcome.rank_by === 'value' ? a.value : a.conversions_per_post,
  );
  const rho = (x: number[]): number | null => {
    if (rows.length < 3) return null;
    const r = spearman(x, planted);
    return Number.isFinite(r) ? r : null;
  };
  return {
    n: rows.length,
    spearman_outcomes_vs_persuasion: rho(outcome),
    spearman_followers_vs_persuasion: rho(rows.map((a) => a.followers)),
    spearman_clicks_vs_persuasion: rho(rows.map((a) => a.clicks)),
  };
}
