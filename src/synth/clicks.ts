/**
 * Clicks on tracked links. Organic human clicks per link post ~ Poisson(ctr × framing click multiplier ×
 * (author's reported followers + reshare × reposters' followers)), delayed Exp(delayHours) after the post; bot and
 * link-preview clicks ~ Poisson(botMean) within seconds of the post. Each link's count of organic human clicks is
 * kept so that baseline buyers can later pick a link ∝ its click intensity at the moment they buy.
 */
import type { Rng } from '../domain/index.js';
import type { Accounts } from './accounts.js';
import { FRAMINGS, type BookFraming, type WorldParams } from './params.js';
import { linkId, TOPIC, type Posts } from './posts.js';
import { ClickAttributes, hex } from './text.js';
import { iso, type Table } from './writers.js';
import { MS_PER_HOUR } from '../domain/index.js';


/** Writes click rows with sequential ids; shared by organic clicks, buyers' clicks and donors' clicks. */
export class ClickWriter {
  next = 0;
  human = 0;
  bots = 0;
  /** True when the sink wants a flush; callers `await flush()` then (one check per row, no promise per row). */
  full = false;
  private readonly attrs: ClickAttributes;

  constructor(
    private readonly table: Table,
    private readonly rng: Rng,
  ) {
    this.attrs = new ClickAttributes(rng);
  }

  /** Writes one human click on link k at time t and returns its id; `visitor` defaults to a random one. */
  human1(k: number, t: number, visitor?: string): string {
    const c = this.table.cells;
    const id = 'c' + this.next++;
    c[0] = id;
    c[1] = linkId(k);
    c[2] = iso(t);
    c[3] = visitor ?? 'v' + hex(this.rng, 2);
    c[4] = this.attrs.referrer();
    c[5] = this.attrs.countryCode();
    c[6] = this.attrs.deviceName();
    c[7] = 'false';
    this.human++;
    this.full = this.table.end();
    return id;
  }

  /** Writes one bot / link-preview click on link k at time t. */
  bot1(k: number, t: number): void {
    const c = this.table.cells;
    c[0] = 'c' + this.next++;
    c[1] = linkId(k);
    c[2] = iso(t);
    c[3] = this.attrs.bot();
    c[6] = 'bot';
    c[7] = 'true';
    this.bots++;
    this.full = this.table.end();
  }

  /** Flushes the clicks file. */
  async flush(): Promise<void> {
    this.full = false;
    await this.table.flush();
  }
}

/** Writes the organic and bot clicks of every link and returns each link's number of organic human clicks. */
export async function organicClicks(
  p: WorldParams,
  acc: Accounts,
  posts: Posts,
  rng: Rng,
  clicks: ClickWriter,
  endMs: number,
): Promise<Int32Array> {
  const human = new Int32Array(posts.links);
  const rate = 1 / (p.clicks.delayHours * MS_PER_HOUR);
  const mult = FRAMINGS.map((f) => (f === 'other' ? 1 : p.framing.clickMultiplier[f as BookFraming]));
  for (let k = 0; k < posts.links; k++) {
    const i = posts.linkPost[k]!;
    const t0 = posts.time[i]!;
    const m = posts.topic[i] === TOPIC.book ? mult[posts.framing[i]!]! : 1;
    const expected = p.clicks.ctr * m * (acc.followers[posts.author[i]!]! + p.clicks.reshare * posts.reshareFollowers[i]!);
    const nBots = rng.poisson(p.clicks.botMean);
    for (let b = 0; b < nBots; b++) clicks.bot1(k, t0 + 500 + Math.floor(rng.uniform() * (p.clicks.botMaxSeconds * 1000 - 500)));
    if (clicks.full) await clicks.flush();
    const nHuman = rng.poisson(expected);
    for (let h = 0; h < nHuman; h++) {
      const t = t0 + 1000 + rng.exponential(rate);
      if (t >= endMs) continue;
      clicks.human1(k, t);
      human[k]!++;
      if (clicks.full) await clicks.flush();
    }
  }
  return human;
}
