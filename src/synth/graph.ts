/**
 * The follow graph with tribes and preferential attachment (Chung–Lu style: each account picks its followees ∝
 * reported followers^γ, inside its own tribe with probability `inTribe`; in a loyal tribe a share of the picks go
 * to the leader). Stored as CSR in the direction a post spreads: for followee u, `followers[off[u]..off[u+1])`,
 * with the planted independent-cascade probability `p` of each edge alongside.
 */
import { AliasTable, type Rng } from '../domain/index.js';
import { TRIBE_KIND, type Accounts } from './accounts.js';
import type { WorldParams } from './params.js';

/** The follow graph in CSR form keyed by followee, with planted edge probabilities. */
export interface FollowerGraph {
  edges: number;
  off: Int32Array;
  followers: Int32Array;
  p: Float32Array;
  /** Followees of each account in the graph (out-degree of the follower). */
  following: Int32Array;
}

/** Draws the follow graph and its edge probabilities. */
export function makeGraph(p: WorldParams, acc: Accounts, rng: Rng): FollowerGraph {
  const n = acc.n;
  const g = p.graph;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = Math.pow(Math.max(1, acc.followers[i]!), g.popularityExponent);
  const global = new AliasTable(weights);
  const tribeTables: (AliasTable | undefined)[] = [];
  for (let t = 0; t < acc.tribeCount; t++) {
    const lo = acc.tribeOffsets[t]!, hi = acc.tribeOffsets[t + 1]!;
    if (hi - lo < 2) {
      tribeTables.push(undefined);
      continue;
    }
    const w = new Float64Array(hi - lo);
    for (let j = lo; j < hi; j++) w[j - lo] = weights[acc.tribeMembers[j]!]!;
    tribeTables.push(new AliasTable(w));
  }

  let cap = Math.ceil(n * g.meanFollowing * 1.2) + 1024;
  let src = new Int32Array(cap); // followee
  let dst = new Int32Array(cap); // follower
  let m = 0;
  const lastPick = new Int32Array(n).fill(-1);
  const following = new Int32Array(n);
  const mu = Math.log(g.meanFollowing) - (g.followingSigma * g.followingSigma) / 2;
  const maxK = Math.min(g.maxFollowing, n - 1);

  for (let v = 0; v < n; v++) {
    const k = Math.min(maxK, Math.max(1, Math.round(rng.logNormal(mu, g.followingSigma))));
    const t = acc.tribe[v]!;
    const table = tribeTables[t];
    const lo = acc.tribeOffsets[t]!;
    const leader = acc.tribeKind[t] === TRIBE_KIND.loyal ? acc.tribeLeader[t]! : -1;
    lastPick[v] = v; // no self-follow
    let got = 0;
    for (let attempt = 0; got < k && attempt < 4 * k + 8; attempt++) {
      let u: number;
      if (table !== undefined && rng.uniform() < g.inTribe) {
        u = leader >= 0 && rng.uniform() < p.loyal.leaderPull ? leader : acc.tribeMembers[lo + table.sample(rng)]!;
      } else {
        u = global.sample(rng);
      }
      if (lastPick[u] === v) continue;
      lastPick[u] = v;
      if (m === cap) {
        cap = Math.ceil(cap * 1.5);
        const s2 = new Int32Array(cap), d2 = new Int32Array(cap);
        s2.set(src);
        d2.set(dst);
        src = s2;
        dst = d2;
      }
      src[m] = u;
      dst[m] = v;
      m++;
      got++;
    }
    following[v] = got;
  }

  // CSR by followee; followers of each followee stay in ascending order (v was visited in order).
  const off = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) off[src[e]! + 1]!++;
  for (let i = 0; i < n; i++) off[i + 1]! += off[i]!;
  const cur = off.slice(0, n);
  const fol = new Int32Array(m);
  for (let e = 0; e < m; e++) fol[cur[src[e]!]!++] = dst[e]!;

  const c = p.cascade;
  const prob = new Float32Array(m);
  for (let u = 0; u < n; u++) {
    const tu = acc.tribe[u]!;
    const loyal = acc.tribeKind[tu] === TRIBE_KIND.loyal;
    for (let e = off[u]!; e < off[u + 1]!; e++) {
      const same = acc.tribe[fol[e]!] === tu;
      const base = same ? (loyal ? c.pLoyal : c.pInside) : c.pOutside;
      prob[e] = Math.min(c.pMax, base * Math.exp(c.sigma * rng.normal() - (c.sigma * c.sigma) / 2));
    }
  }
  return { edges: m, off, followers: fol, p: prob, following };
}
