/**
 * A small seeded world for testing contagion against homophily (Anagnostopoulos, Kumar, Mahdian 2008; Aral,
 * Muchnik, Sundararajan 2009): a follow graph with tribes (most follows stay inside one's tribe), items whose appeal
 * differs by tribe (a latent propensity per item and tribe), and a shared time trend. Adoptions come either from
 *  - influence: each day an inactive account adopts with hazard h0·trend(t)·propensity + β·(adopted followees at the
 *    start of the day), so adoption spreads along follow edges; or from
 *  - homophily only: who adopts depends on the tribe's propensity alone, and when on the shared trend alone — drawn
 *    independently of every neighbour, so adoption clusters in tribes with no one influencing anyone.
 * Time runs in days from epoch 0; an adoption falls uniformly inside its day. The world comes as plain arrays (account
 * i has id `u<i>`); the caller builds its graph and adoption items from them.
 */
import { CloutError, Rng, MS_PER_DAY } from '../domain/index.js';

/** Options of contagionWorld (every field has a default). */
export interface ContagionWorldOptions {
  seed: number;
  mechanism: 'influence' | 'homophily';
  accounts?: number;
  tribes?: number;
  /** Followees per account. */
  following?: number;
  /** Share of follows inside one's tribe. */
  inTribe?: number;
  items?: number;
  days?: number;
  /** Influence: base hazard per day at trend 1 and propensity 1, and the added hazard per adopted followee. */
  h0?: number;
  beta?: number;
  /** Homophily: probability of adopting an item at propensity 1 (capped at 0.9). */
  adoptRate?: number;
  /** Gamma shape of the per-(item, tribe) propensity (mean 1): small = a few tribes love each item. */
  propensityShape?: number;
}

/** One item: who adopted it (account indices) and when (ms), in adoption order. */
export interface ContagionItem {
  id: string;
  start: number;
  nodes: number[];
  times: number[];
}

/** The generated world. */
export interface ContagionWorld {
  accounts: number;
  /** Follow edges: follower[e] follows followee[e]. */
  follower: Int32Array;
  followee: Int32Array;
  items: ContagionItem[];
  tribe: Int32Array;
  /** Length of one step of the generator (a day), ms, and the end of observation. */
  periodMs: number;
  end: number;
}


/** Generates a contagion test world. */
export function contagionWorld(o: ContagionWorldOptions): ContagionWorld {
  const n = o.accounts ?? 400;
  const K = o.tribes ?? 4;
  const following = o.following ?? 8;
  const inTribe = o.inTribe ?? 0.85;
  const itemCount = o.items ?? 12;
  const days = o.days ?? 30;
  const h0 = o.h0 ?? 0.003;
  const beta = o.beta ?? 0.02;
  const adoptRate = o.adoptRate ?? 0.1;
  const shape = o.propensityShape ?? 0.7;
  if (n < K * 2 || following >= n / K) throw new CloutError('bad_option', `contagion world: ${n} accounts in ${K} tribes cannot each follow ${following}`);
  const rng = new Rng(o.seed);
  const graphRng = rng.fork(), itemRng = rng.fork(), adoptRng = rng.fork();

  const tribe = new Int32Array(n);
  for (let v = 0; v < n; v++) tribe[v] = v % K;
  const follower = new Int32Array(n * following);
  const followee = new Int32Array(n * following);
  const picked = new Int32Array(n).fill(-1);
  let m = 0;
  for (let v = 0; v < n; v++) {
    picked[v] = v;
    for (let got = 0; got < following; ) {
      const u = graphRng.uniform() < inTribe ? tribe[v]! + K * graphRng.int(Math.ceil((n - tribe[v]!) / K)) : graphRng.int(n);
      if (u >= n || picked[u] === v) continue;
      picked[u] = v;
      follower[m] = v;
      followee[m] = u;
      m++;
      got++;
    }
  }
  // Followers of each account (CSR), for counting adopted followees.
  const fOff = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) fOff[followee[e]! + 1]!++;
  for (let u = 0; u < n; u++) fOff[u + 1]! += fOff[u]!;
  const fCur = fOff.slice(0, n);
  const fList = new Int32Array(m);
  for (let e = 0; e < m; e++) fList[fCur[followee[e]!]!++] = follower[e]!;

  // Shared trend: a bump in the middle of the window, mean 1 over the days.
  const trend = new Float64Array(days);
  let tsum = 0;
  for (let d = 0; d < days; d++) tsum += trend[d] = 0.2 + Math.exp(-(((d - days / 2) / (days / 5)) ** 2));
  for (let d = 0; d < days; d++) trend[d] = (trend[d]! * days) / tsum;
  const cumTrend = new Float64Array(days);
  for (let d = 0, acc = 0; d < days; d++) cumTrend[d] = acc += trend[d]! / days;

  const items: ContagionItem[] = [];
  const adoptedDay = new Int32Array(n);
  const active = new Int32Array(n);
  for (let i = 0; i < itemCount; i++) {
    const prop = new Float64Array(K);
    for (let t = 0; t < K; t++) prop[t] = itemRng.gamma(shape, shape);
    const nodes: number[] = [], times: number[] = [];
    if (o.mechanism === 'homophily') {
      for (let v = 0; v < n; v++) {
        if (adoptRng.uniform() >= Math.min(0.9, adoptRate * prop[tribe[v]!]!)) continue;
        const r = adoptRng.uniform();
        let d = 0;
        while (d < days - 1 && cumTrend[d]! < r) d++;
        nodes.push(v);
        times.push((d + adoptRng.uniform()) * MS_PER_DAY);
      }
    } else {
      adoptedDay.fill(-1);
      for (let d = 0; d < days; d++) {
        // Adopted followees at the start of day d.
        active.fill(0);
        for (let u = 0; u < n; u++) {
          if (adoptedDay[u]! < 0 || adoptedDay[u]! >= d) continue;
          for (let e = fOff[u]!; e < fOff[u + 1]!; e++) active[fList[e]!]!++;
        }
        for (let v = 0; v < n; v++) {
          if (adoptedDay[v]! >= 0) continue;
          const h = h0 * trend[d]! * prop[tribe[v]!]! + beta * active[v]!;
          if (adoptRng.uniform() < 1 - Math.exp(-h)) {
            adoptedDay[v] = d;
            nodes.push(v);
            times.push((d + adoptRng.uniform()) * MS_PER_DAY);
          }
        }
      }
    }
    items.push({ id: 'item' + i, start: 0, nodes, times });
  }
  return { accounts: n, follower, followee, items, tribe, periodMs: MS_PER_DAY, end: days * MS_PER_DAY };
}
