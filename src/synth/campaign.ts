/**
 * The birthday-style charity campaign owned by the celebrity. Donation amounts are whole dollars, LogNormal around
 * `donationMedian`, drawn until the planted total is reached exactly (the last gift is the remainder). Each donation
 * answers one campaign post (her appeals weigh `appealWeight`, tribe members' posts 1) after an exponential delay
 * inside the campaign window; donors come mostly from her tribe; most donations carry a click on that post's link.
 */
import { AliasTable, type Rng, MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';
import { accountId, type Accounts } from './accounts.js';
import type { ClickWriter } from './clicks.js';
import type { ConversionRecorder } from './conversions.js';
import type { WorldParams } from './params.js';
import { linkId, TOPIC, type Posts } from './posts.js';
import { hex } from './text.js';
import { iso, type Table } from './writers.js';


/** What the campaign planted and what was written. */
export interface CampaignTruth {
  id: string;
  owner_id: string;
  goal_value: number;
  currency: string;
  starts_at: string;
  ends_at: string;
  planted_total: number;
  donations: number;
  with_click: number;
  donors_from_owner_tribe: number;
  share_from_owner_tribe: number;
  posts: number;
  /** Gifts to the charity from everyone else over the world's days (the baseline of the charity's metric series). */
  charity_baseline_total?: number;
}

/** Writes the campaign record. */
export async function writeCampaign(p: WorldParams, out: Table, startMs: number): Promise<void> {
  const c = p.campaign;
  const cells = out.cells;
  cells[0] = c.id;
  cells[1] = c.name;
  cells[2] = c.goal.toFixed(2);
  cells[3] = c.currency;
  cells[4] = iso(startMs + c.startDay * MS_PER_DAY);
  cells[5] = iso(startMs + c.endDay * MS_PER_DAY);
  cells[6] = accountId(0);
  cells[7] = 'donations';
  out.end();
  await out.flush();
}

/** Writes the donations (and the clicks that lead to them); fills posts.donations / posts.donated and the daily sums. */
export async function writeDonations(
  p: WorldParams,
  acc: Accounts,
  posts: Posts,
  rng: Rng,
  clicks: ClickWriter,
  conv: ConversionRecorder,
  startMs: number,
  donatedPerDay: Float64Array,
): Promise<CampaignTruth> {
  const c = p.campaign;
  const cStart = startMs + c.startDay * MS_PER_DAY;
  const cEnd = startMs + c.endDay * MS_PER_DAY;
  const sources: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < posts.n; i++) {
    if (posts.topic[i] === TOPIC.appeal || posts.topic[i] === TOPIC.campaign) {
      sources.push(i);
      weights.push(posts.topic[i] === TOPIC.appeal ? c.appealWeight : 1);
    }
  }
  const truth: CampaignTruth = {
    id: c.id,
    owner_id: accountId(0),
    goal_value: c.goal,
    currency: c.currency,
    starts_at: iso(cStart),
    ends_at: iso(cEnd),
    planted_total: c.plantedTotal,
    donations: 0,
    with_click: 0,
    donors_from_owner_tribe: 0,
    share_from_owner_tribe: 0,
    posts: sources.length,
  };
  if (sources.length === 0) return truth;

  // Amounts: whole dollars until the planted total is met exactly.
  const amounts: number[] = [];
  let total = 0;
  const mu = Math.log(c.donationMedian);
  while (total < c.plantedTotal) {
    let a = Math.max(c.donationMin, Math.round(rng.logNormal(mu, c.donationSigma)));
    if (total + a > c.plantedTotal) a = c.plantedTotal - total;
    if (a < c.donationMin && amounts.length > 0) amounts[amounts.length - 1]! += a;
    else amounts.push(a);
    total += a;
  }

  const table = new AliasTable(weights);
  const rate = 1 / (c.responseMeanHours * MS_PER_HOUR);
  const lo = acc.tribeOffsets[0]!, hi = acc.tribeOffsets[1]!;
  for (const amount of amounts) {
    const i = sources[table.sample(rng)]!;
    const t0 = posts.time[i]!;
    let t = -1;
    for (let attempt = 0; attempt < 10 && t < 0; attempt++) {
      const x = t0 + 60_000 + rng.exponential(rate);
      if (x < cEnd) t = x;
    }
    if (t < 0) t = t0 + 60_000 + rng.uniform() * Math.max(0, cEnd - t0 - 60_000);
    let donor: number;
    const fromTribe = hi - lo > 1 && rng.uniform() < c.fromTribe;
    do donor = fromTribe ? acc.tribeMembers[lo + rng.int(hi - lo)]! : rng.int(acc.n);
    while (donor === 0);
    if (acc.tribe[donor] === 0) truth.donors_from_owner_tribe++;
    let click = '', link = '';
    if (rng.uniform() < c.viaClick) {
      const k = posts.link[i]!;
      const tc = Math.max(t0 + 5000, t - 60_000 * (1 + 14 * rng.uniform()));
      click = clicks.human1(k, tc, 'v' + hex(rng, 2));
      link = linkId(k);
      truth.with_click++;
    }
    conv.write('donation', t, amount.toFixed(2), c.currency, accountId(donor), click, link, c.id);
    posts.donations[i]!++;
    posts.donated[i]! += amount;
    donatedPerDay[Math.floor((t - startMs) / MS_PER_DAY)]! += amount;
    truth.donations++;
    if (clicks.full) await clicks.flush();
    if (conv.full) await conv.flush();
  }
  truth.share_from_owner_tribe = truth.donations > 0 ? truth.donors_from_owner_tribe / truth.donations : 0;
  return truth;
}
