/**
 * Writes the structural records of the world: accounts (reported followers / following are the platform's numbers),
 * follows (from the CSR graph), posts (text per framing) and their tracked links.
 */
import type { Rng } from '../domain/index.js';
import { accountId, ROLE, type Accounts } from './accounts.js';
import type { FollowerGraph } from './graph.js';
import type { WorldParams } from './params.js';
import { linkId, linkKey, postId, TOPIC, type Posts } from './posts.js';
import { accountHandle, accountName, appealText, campaignText, chatterText, endorsementText, pitchText } from './text.js';
import { iso, isoDate, type Table } from './writers.js';
import { MS_PER_DAY } from '../domain/index.js';


/** Writes one row per account. */
export async function writeAccounts(p: WorldParams, acc: Accounts, graph: FollowerGraph, rng: Rng, out: Table, startMs: number): Promise<void> {
  const c = out.cells;
  for (let i = 0; i < acc.n; i++) {
    const inGraph = graph.following[i]!;
    c[0] = accountId(i);
    c[1] = p.accounts.platform;
    c[2] = acc.role[i] === ROLE.celebrity ? p.celebrity.handle : accountHandle(i);
    c[3] = acc.role[i] === ROLE.celebrity ? p.celebrity.name : accountName(i);
    c[4] = String(acc.followers[i]);
    c[5] = String(inGraph + rng.poisson(inGraph * 0.5));
    c[6] = iso(startMs - MS_PER_DAY * (30 + Math.floor(rng.uniform() * 3600)) - Math.floor(rng.uniform() * MS_PER_DAY));
    if (out.end()) await out.flush();
  }
}

/** Writes one row per follow edge (follower → followee) with a follow date before the world starts. */
export async function writeFollows(p: WorldParams, graph: FollowerGraph, rng: Rng, out: Table, startMs: number): Promise<void> {
  const dates: string[] = [];
  for (let d = 1; d <= p.graph.sinceDays; d++) dates.push(isoDate(startMs - d * MS_PER_DAY));
  const c = out.cells;
  const n = graph.off.length - 1;
  for (let u = 0; u < n; u++) {
    const followee = accountId(u);
    for (let e = graph.off[u]!, end = graph.off[u + 1]!; e < end; e++) {
      c[0] = accountId(graph.followers[e]!);
      c[1] = followee;
      c[2] = dates[rng.int(dates.length)]!;
      if (out.end()) await out.flush();
    }
  }
}

/** Writes the posts and their tracked links. */
export async function writePostsAndLinks(p: WorldParams, posts: Posts, rng: Rng, postOut: Table, linkOut: Table): Promise<void> {
  const pc = postOut.cells;
  const lc = linkOut.cells;
  const title = p.book.title;
  let appeal = 0;
  for (let i = 0; i < posts.n; i++) {
    const k = posts.link[i]!;
    const topic = posts.topic[i]!;
    const created = iso(posts.time[i]!);
    const key = k >= 0 ? linkKey(k) : '';
    const short = k >= 0 ? p.book.shortener + key : '';
    let text: string;
    if (topic === TOPIC.chatter) text = chatterText(rng);
    else if (topic === TOPIC.appeal) text = appealText(appeal++, short);
    else if (topic === TOPIC.campaign) text = campaignText(rng, short);
    else if (posts.framing[i] === 0) text = pitchText(rng, title, short);
    else if (posts.framing[i] === 1) text = endorsementText(rng, title, short);
    else text = short;
    const campaign = topic === TOPIC.appeal || topic === TOPIC.campaign ? p.campaign.id : '';
    pc[0] = postId(i);
    pc[1] = accountId(posts.author[i]!);
    pc[2] = created;
    pc[3] = text;
    pc[4] = short;
    pc[5] = k >= 0 ? linkId(k) : '';
    pc[6] = campaign;
    if (postOut.end()) await postOut.flush();
    if (k < 0) continue;
    lc[0] = linkId(k);
    lc[1] = campaign !== '' ? `${p.campaign.page}?ref=${key}` : `${p.book.store}?ref=${key}`;
    lc[2] = key;
    lc[3] = postId(i);
    lc[4] = campaign;
    lc[5] = accountId(posts.author[i]!);
    lc[6] = created;
    if (linkOut.end()) await linkOut.flush();
  }
}
