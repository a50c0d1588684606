/**
 * Every planted parameter of the synthetic world, in one typed object per size. DEFAULTS is the demo world; each
 * larger size overrides only what scale needs. truth.json records the resolved object, and docs/synthetic-world.md
 * explains each field.
 */
import { CloutError } from '../domain/index.js';

export const SIZES = ['demo', 'small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];

export { FRAMINGS } from '../domain/index.js';
import { FRAMINGS } from '../domain/index.js';
export type { Framing } from '../domain/index.js';
import type { Framing } from '../domain/index.js';
export type BookFraming = Exclude<Framing, 'other'>;

/** All generator parameters of one world. Counts are per world; rates are per post, per day or per edge. */
export interface WorldParams {
  /** First instant of the world (UTC, ISO 8601) and its length in days. */
  start: string;
  days: number;
  accounts: {
    count: number;
    /** Reported follower counts: log-normal with this median and log-sd, capped below the celebrity. */
    followersMedian: number;
    followersSigma: number;
    followersCap: number;
    /** Platform name written on every account. */
    platform: string;
  };
  celebrity: {
    handle: string;
    name: string;
    followers: number;
    /** Planted persuasion of the celebrity: book sales per book post at framing multiplier 1 (≈ 0 by design). */
    persuasion: number;
    bookPosts: number;
    /** Share of the accounts that form her fan tribe. */
    tribeShare: number;
  };
  loyal: {
    /** Small accounts, each leading its own loyal tribe, whose endorsements sell. */
    count: number;
    followersMin: number;
    followersMax: number;
    tribeShare: number;
    persuasionShape: number;
    persuasionMean: number;
    /** Share of in-tribe follow picks that go straight to the tribe's leader. */
    leaderPull: number;
  };
  tribes: {
    /** Ordinary tribes besides the celebrity's and the loyal ones; sizes ∝ Gamma(sizeShape) draws. */
    general: number;
    sizeShape: number;
  };
  authors: {
    /** Accounts that post about the book (celebrity and loyal leaders included). */
    count: number;
    /** Spike-and-slab persuasion: P(θ = 0); otherwise θ ~ Gamma(slabShape, rate = slabShape / slabMean). */
    spikeShare: number;
    slabShape: number;
    slabMean: number;
    /** Book posts per author: 1 + Poisson(bookPostsMean − 1); chatter posts: Poisson(chatterMean). */
    bookPostsMean: number;
    chatterMean: number;
    /** Framing mix of ordinary authors' book posts and of loyal leaders' book posts (celebrity: all pitches). */
    framingMix: Record<BookFraming, number>;
    loyalFramingMix: Record<BookFraming, number>;
  };
  graph: {
    /** Following count per account: log-normal with this mean and log-sd, capped. */
    meanFollowing: number;
    followingSigma: number;
    maxFollowing: number;
    /** Probability that a followee is picked inside one's own tribe. */
    inTribe: number;
    /** Preferential attachment: followees chosen ∝ reported followers ^ exponent. */
    popularityExponent: number;
    /** Follow dates: up to this many days before the world starts. */
    sinceDays: number;
  };
  framing: {
    /** Planted multipliers φ_f of book sales per framing (θ_author × φ_f × η_post). */
    effects: Record<Framing, number>;
    /** Per-post heterogeneity η ~ Gamma(kappa, kappa) (mean 1, CV 1/√kappa). */
    kappa: number;
    /** Relative click-through of each link framing (how clickable the post is, not how persuasive). */
    clickMultiplier: Record<BookFraming, number>;
  };
  cascade: {
    /** Independent-cascade edge probabilities p = base × LogNormal(0, sigma), capped at pMax. */
    pOutside: number;
    pInside: number;
    pLoyal: number;
    sigma: number;
    pMax: number;
    /** Bound on reposts per post and the mean delay of one hop (hours). */
    maxAdopters: number;
    hopDelayHours: number;
    quoteShare: number;
    /** Exposed non-adopters: like / reply / mention-the-author probabilities. */
    like: number;
    reply: number;
    mention: number;
  };
  clicks: {
    /** Human clicks per link post ~ Poisson(ctr × clickMultiplier × (author followers + reshare × reposters' followers)). */
    ctr: number;
    reshare: number;
    /** Mean delay of a human click after the post (hours). */
    delayHours: number;
    /** Bot / link-preview clicks per link post ~ Poisson(botMean), arriving within botMaxSeconds. */
    botMean: number;
    botMaxSeconds: number;
  };
  sales: {
    price: number;
    currency: string;
    /** Response kernel of caused sales: exponential with this mean (days), truncated at horizonDays. */
    kernelMeanDays: number;
    horizonDays: number;
    /** Share of caused sales that come through a click on the causing post's link. */
    viaClick: number;
    /**
     * Discount codes: every author gets a code (written to `codes`) when either share is > 0. `codeShare` of the caused
     * sales that would have carried a click id carry the author's code instead (no click); `couponShare` of the baseline
     * buyers who did not click first use a code found on a coupon site, an author's chosen ∝ followers. Both 0 by
     * default (no codes, and the world is the same as without them).
     */
    codeShare: number;
    couponShare: number;
  };
  baseline: {
    /** Baseline sales per day (level), day-of-week multipliers (Mon..Sun), drift and noise of the level. */
    level: number;
    weekly: number[];
    driftSd: number;
    noiseSd: number;
    /** Share of baseline buyers who first click a book link, chosen ∝ its click intensity at that moment. */
    clickFirst: number;
    /** Links posted longer ago than this are not candidates for those clicks (their intensity is negligible). */
    lookbackDays: number;
  };
  controls: { series: string; scale: number }[];
  /**
   * Daily gifts (whole dollars) to the campaign's charity from everyone else — the baseline of the `series` metric,
   * to which the campaign's own donations are added — and control charities sharing its drifting level.
   */
  charity: {
    series: string;
    level: number;
    driftSd: number;
    noiseSd: number;
    /** Larger charities: their gifts aggregate more donors, so their day noise is smaller. */
    controls: { series: string; scale: number; noiseSd: number }[];
  };
  campaign: {
    id: string;
    name: string;
    /** Destination page of the campaign's tracked links. */
    page: string;
    goal: number;
    currency: string;
    plantedTotal: number;
    startDay: number;
    endDay: number;
    /** The celebrity's appeals and the tribe members who post the campaign link themselves. */
    appeals: number;
    tribePosts: number;
    /** Weight of one appeal vs one tribe post as the source of a donation. */
    appealWeight: number;
    /** Donations in whole dollars: LogNormal(log(median), sigma), at least min. */
    donationMedian: number;
    donationSigma: number;
    donationMin: number;
    /** Share of donors drawn from the celebrity's tribe; share of donations that carry a click id. */
    fromTribe: number;
    viaClick: number;
    responseMeanHours: number;
  };
  book: { title: string; store: string; shortener: string };
  /**
   * Sign-ups: every posting account but the celebrity runs a page (a newsletter, a fundraiser) whose sign-ups arrive,
   * from its first post on, at `level` × (followers / accounts.followersMedian)^`elasticity` per day, each tied to the
   * account's latest post (`post_id`) — an outcome that grows with size for everyone.
   */
  signups: { level: number; elasticity: number };
  /**
   * The celebrity's shout-outs (`clout compare --shoutout-by`): each posting account i draws a date s_i uniform in
   * [firstDay, lastDay); if it posted before s_i it is mentioned by the celebrity at s_i with probability
   * logistic(log(oddsAtMedian) + perLogFollowers·log((1 + followers) / (1 + accounts.followersMedian))
   * + perLogPosts·log((1 + posts before s_i) / 2)) — big, active accounts are shouted out more (the confounding). A shout-out brings Poisson(δ_i) extra sign-ups,
   * δ_i ~ Gamma(effectShape, mean effectMean), each Exp(kernelMeanDays) after it, within windowDays.
   */
  shoutout: {
    firstDay: number;
    lastDay: number;
    /** Odds of a shout-out for an account with the median followers and one post before its date. */
    oddsAtMedian: number;
    perLogFollowers: number;
    perLogPosts: number;
    effectMean: number;
    effectShape: number;
    kernelMeanDays: number;
    windowDays: number;
  };
}

/** The demo world (~1k accounts): the defaults every size starts from. */
export const DEFAULTS: WorldParams = {
  start: '2026-01-01T00:00:00.000Z',
  days: 90,
  accounts: { count: 1000, followersMedian: 250, followersSigma: 1.7, followersCap: 1_200_000, platform: 'x' },
  celebrity: { handle: '@celebrity', name: 'Celebrity', followers: 1_400_000, persuasion: 0, bookPosts: 8, tribeShare: 0.12 },
  loyal: {
    count: 6,
    followersMin: 300,
    followersMax: 3000,
    tribeShare: 0.035,
    persuasionShape: 6,
    persuasionMean: 6,
    leaderPull: 0.35,
  },
  tribes: { general: 6, sizeShape: 2 },
  authors: {
    count: 130,
    spikeShare: 0.45,
    slabShape: 1.5,
    slabMean: 4,
    bookPostsMean: 5,
    chatterMean: 3,
    framingMix: { pitch: 0.3, endorsement: 0.35, bare_link: 0.35 },
    loyalFramingMix: { pitch: 0.1, endorsement: 0.8, bare_link: 0.1 },
  },
  graph: {
    meanFollowing: 15,
    followingSigma: 0.8,
    maxFollowing: 2000,
    inTribe: 0.8,
    popularityExponent: 0.7,
    sinceDays: 1095,
  },
  framing: {
    effects: { pitch: 0.3, endorsement: 1.5, bare_link: 0.6, other: 0 },
    kappa: 2,
    clickMultiplier: { pitch: 1, endorsement: 1.2, bare_link: 0.8 },
  },
  cascade: {
    pOutside: 0.01,
    pInside: 0.04,
    pLoyal: 0.15,
    sigma: 0.5,
    pMax: 0.5,
    maxAdopters: 500,
    hopDelayHours: 3,
    quoteShare: 0.2,
    like: 0.2,
    reply: 0.02,
    mention: 0.005,
  },
  clicks: { ctr: 0.003, reshare: 0.25, delayHours: 4, botMean: 2, botMaxSeconds: 20 },
  sales: { price: 14.99, currency: 'USD', kernelMeanDays: 1, horizonDays: 7, viaClick: 0.6, codeShare: 0, couponShare: 0 },
  baseline: {
    level: 40,
    weekly: [0.9, 0.85, 0.85, 0.9, 1.05, 1.25, 1.2],
    driftSd: 0.025,
    noiseSd: 0.08,
    clickFirst: 0.06,
    lookbackDays: 3,
  },
  controls: [
    { series: 'book_b_sales', scale: 1.5 },
    { series: 'book_c_sales', scale: 2.5 },
    { series: 'book_d_sales', scale: 2 },
  ],
  charity: {
    series: 'donations',
    level: 900,
    driftSd: 0.02,
    noiseSd: 0.12,
    controls: [
      { series: 'charity_b_donations', scale: 6, noiseSd: 0.04 },
      { series: 'charity_c_donations', scale: 11, noiseSd: 0.03 },
    ],
  },
  campaign: {
    id: 'cmp_birthday',
    name: 'Birthday wish: clean water for 1,900 people',
    page: 'https://give.example.org/birthday-wish',
    goal: 38_000,
    currency: 'USD',
    plantedTotal: 39_551,
    startDay: 56,
    endDay: 70,
    appeals: 3,
    tribePosts: 20,
    appealWeight: 12,
    donationMedian: 35,
    donationSigma: 0.9,
    donationMin: 5,
    fromTribe: 0.85,
    viaClick: 0.8,
    responseMeanHours: 18,
  },
  book: {
    title: 'The Art of Connection',
    store: 'https://books.example.com/the-art-of-connection',
    shortener: 'https://clt.to/',
  },
  signups: { level: 0.15, elasticity: 0.4 },
  shoutout: {
    firstDay: 10,
    lastDay: 82,
    oddsAtMedian: 0.15,
    perLogFollowers: 0.8,
    perLogPosts: 0.6,
    effectMean: 4,
    effectShape: 4,
    kernelMeanDays: 1.5,
    windowDays: 7,
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What each larger size changes relative to DEFAULTS (the demo world). */
export const SIZE_OVERRIDES: Record<Size, DeepPartial<WorldParams>> = {
  demo: {},
  small: {
    accounts: { count: 10_000 },
    loyal: { count: 12, tribeShare: 0.01 },
    tribes: { general: 30 },
    celebrity: { tribeShare: 0.05 },
    authors: { count: 1_000 },
    graph: { meanFollowing: 10 },
    baseline: { level: 250 },
    campaign: { tribePosts: 60 },
  },
  medium: {
    accounts: { count: 100_000 },
    loyal: { count: 30, tribeShare: 0.002 },
    tribes: { general: 150 },
    celebrity: { tribeShare: 0.02 },
    authors: { count: 10_000 },
    graph: { meanFollowing: 10 },
    clicks: { ctr: 0.01 },
    baseline: { level: 2_000 },
    campaign: { tribePosts: 150 },
  },
  large: {
    accounts: { count: 1_000_000 },
    loyal: { count: 60, tribeShare: 0.0005 },
    tribes: { general: 600 },
    celebrity: { tribeShare: 0.01 },
    authors: { count: 100_000 },
    graph: { meanFollowing: 10 },
    clicks: { ctr: 0.013 },
    cascade: { maxAdopters: 2000 },
    baseline: { level: 20_000 },
    campaign: { tribePosts: 300 },
  },
};

function merge<T>(base: T, over: DeepPartial<T> | undefined, path: string): T {
  if (over === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (!(k in out)) throw new CloutError('bad_option', `generate: unknown parameter ${path}${k}`);
    const b = out[k];
    out[k] =
      v !== null && typeof v === 'object' && !Array.isArray(v) && typeof b === 'object' && b !== null && !Array.isArray(b)
        ? merge(b, v as DeepPartial<typeof b>, `${path}${k}.`)
        : v;
  }
  return out as T;
}

/** Resolves the parameters of one size (DEFAULTS + that size's overrides + caller overrides), checking them. */
export function resolveParams(size: Size, overrides?: DeepPartial<WorldParams>): WorldParams {
  if (!(SIZES as readonly string[]).includes(size)) {
    throw new CloutError('bad_option', `generate: unknown size '${String(size)}'; use one of ${SIZES.join(', ')}`);
  }
  const p = merge(merge(DEFAULTS, SIZE_OVERRIDES[size], ''), overrides, '');
  check(p);
  return p;
}

export type ParamOverrides = DeepPartial<WorldParams>;

function check(p: WorldParams): void {
  const fail = (msg: string): never => {
    throw new CloutError('bad_option', `generate: ${msg}`);
  };
  const nAuthors = p.authors.count;
  if (p.days < p.sales.horizonDays + 7) fail(`days is ${p.days}; need ≥ ${p.sales.horizonDays + 7}`);
  if (p.accounts.count < 100) fail(`accounts.count is ${p.accounts.count}; need ≥ 100`);
  if (nAuthors < 1 + p.loyal.count || nAuthors > p.accounts.count) fail(`authors.count ${nAuthors} out of range`);
  if (p.accounts.followersCap >= p.celebrity.followers) fail('accounts.followersCap must be below the celebrity');
  const special = p.celebrity.tribeShare + p.loyal.count * p.loyal.tribeShare;
  if (special >= 0.9) fail(`celebrity and loyal tribes take ${special} of the accounts; need < 0.9`);
  if (p.campaign.endDay <= p.campaign.startDay || p.campaign.endDay >= p.days) fail('campaign days out of range');
  if (p.baseline.weekly.length !== 7) fail('baseline.weekly needs 7 values');
  const so = p.shoutout;
  if (so.lastDay <= so.firstDay || so.lastDay + so.windowDays > p.days) fail('shoutout days out of range: need firstDay < lastDay and lastDay + windowDays ≤ days');
  if (so.windowDays <= 0 || so.kernelMeanDays <= 0 || so.effectShape <= 0) fail('shoutout.windowDays, kernelMeanDays and effectShape must be > 0');
  const walk = (o: unknown, path: string): void => {
    if (typeof o === 'number') {
      if (!Number.isFinite(o) || o < 0) fail(`${path} must be a finite number ≥ 0, got ${o}`);
    } else if (o !== null && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(p, '');
  const shares: [string, number][] = [
    ['authors.spikeShare', p.authors.spikeShare],
    ['graph.inTribe', p.graph.inTribe],
    ['loyal.leaderPull', p.loyal.leaderPull],
    ['cascade.pMax', p.cascade.pMax],
    ['cascade.quoteShare', p.cascade.quoteShare],
    ['cascade.like + reply + mention', p.cascade.like + p.cascade.reply + p.cascade.mention],
    ['sales.viaClick', p.sales.viaClick],
    ['sales.codeShare', p.sales.codeShare],
    ['sales.couponShare', p.sales.couponShare],
    ['baseline.clickFirst', p.baseline.clickFirst],
    ['campaign.fromTribe', p.campaign.fromTribe],
    ['campaign.viaClick', p.campaign.viaClick],
  ];
  for (const [name, v] of shares) if (v > 1) fail(`${name} must be ≤ 1, got ${v}`);
}
