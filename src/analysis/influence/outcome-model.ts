/**
 * Outcome influence: how many outcomes (sales, donations) each post caused, with intervals, by a Poisson-process
 * model of the binned outcome counts (Xu, Duan & Whinston 2014; the latent-parent augmentation of Rasmussen 2013 /
 * Veen & Schoenberg 2008; partial pooling as in Gelman et al., BDA ch. 5):
 *
 *   outcomes in bin b ~ Poisson( μ_b + Σ_p β_p g_b(p) )
 *   μ_b = α_{week(b)} · s_{slot(b)} · ε_{day(b)} · x_b
 *                                             baseline: a weekly level × an hour-of-week shape (one multiplier per
 *                                             bin of the week, the first fixed at 1) × a day effect ε ~ Gamma(ν, ν)
 *                                             (days busier or quieter than their week; ν learned) × a covariate
 *                                             (control series, else 1)
 *   g_b(p) = ∫_bin g(t − t_p) dt              response kernel: exponential, mean τ, truncated at the horizon; τ
 *                                             learned on a √2 grid when outcomes carry click ids (tied sales show
 *                                             the delay), else held (option learnKernel)
 *   β_p = s_a θ_a φ_f η_p                     author persuasion × framing multiplier × post noise η ~ Gamma(κ, κ)
 *   s_a ~ Bernoulli(ρ), θ_a ~ Gamma(1, b₀) (an exponential: near-zero persuasion stays possible), b₀ ~ Gamma
 *   (pooled across authors), φ_ref = 1, φ_f ~ InvGamma
 *
 * Click ids as evidence, not proof: a caused outcome carries a click on its post with probability π; a baseline
 * outcome carries a click on post p with probability ω · w_{b,p}, w = p's share of the bin's human clicks. So an
 * outcome that carries a click on p has parent p or the baseline — never another post — and a post that merely
 * collects many clicks (reach) gets baseline buyers' clicks without credit for them.
 *
 * Other ties are the same evidence with their own rates (tied entries of kind k: click, code, utm): a caused outcome
 * carries a kind-k tie with probability π_k if its post can carry that kind (else never), a baseline outcome with
 * probability ω_k · w^k. A UTM tie names a post and w^utm is the click-intensity share, as for clicks, or the tagged
 * posts' attention share when they have no click data (src/app/influence-input.ts) (a buyer who
 * lands through a tagged link picks it as people click links then). A code names an account, not a post: its sale's
 * parent is any of that account's posts in reach of the bin, or the baseline (the honest version: the data do not say
 * which post). w^code_a, the account's share of the baseline's code use, is learned (Dirichlet(α) over the accounts
 * that own codes, α on a grid), not fixed: a code posted on a coupon site sells steadily, outside its owner's posts'
 * reach too, and only a learned share lets those sales explain the ones near the posts; a share fixed in advance
 * (1/codes, or ∝ the owner's reach) would credit the owner with them. Codes count as usable in every bin. (π_1..π_K,
 * 1 − Σπ) and (ω_1..ω_K, 1 − Σω) are Dirichlet(1, …, 1); posts and bins that can carry only some kinds have their
 * untied outcomes split between "untied" and the kinds they lack (data augmentation), which keeps the draws conjugate.
 * With clicks alone this is exactly the model above.
 *
 * Gibbs sampling with data augmentation: allocate every count to its sources (binomial for tied counts,
 * multinomial for the rest), then draw every rate from its conditional (Gamma, Beta; log θ by Metropolis), flip s_a
 * by a Metropolis step with an informed proposal of the author's effects, and take Metropolis steps along the ridge
 * "more caused outcomes without a tie, less baseline" (all effects × e^δ, every π_k × e^−δ, baseline levels rescaled), which
 * the allocation updates alone cross far too slowly when posts are dense. The option fixedBaseline hands the model a
 * known μ_b (oracle fits on synthetic worlds): no baseline draws, and the ridge moves leave μ in place. Per account,
 * timing_share and isolated_share say how much of its estimate rests on timing alone. Pure and seeded.
 *
 * Stages, one file each: model (data, options, defaults, kernel) → sampler (chain state and sweep; steps: one function
 * per Gibbs/Metropolis step; likelihoods; grid draws) → summary (intervals, diagnostics). This file is the public entry.
 */
import { effectiveSampleSize, splitRhat } from '../stats/mcmc.js';
import { isolatedShares, resolveOutcomeInfluenceOptions, type ChainCheck, type OutcomeInfluenceData, type OutcomeInfluenceOptions, type OutcomeInfluenceResult, type Interval, type TieSummary } from './model.js';
import { runChain } from './sampler.js';
import { columnOf, diagnose, summarise } from './summary.js';

export { OUTCOME_INFLUENCE_DEFAULTS, resolveOutcomeInfluenceOptions, type ResolvedOutcomeInfluenceOptions, type ChainCheck, type OutcomeInfluenceData, type OutcomeInfluenceDiagnostics, type OutcomeInfluenceOptions, type OutcomeInfluenceResult, type Interval, type TieSummary } from './model.js';
export { summarise } from './summary.js';

/** Fits the model by Gibbs sampling and summarises the kept draws. */
export function fitOutcomeInfluence(data: OutcomeInfluenceData, options: OutcomeInfluenceOptions = {}): OutcomeInfluenceResult {
  const o = resolveOutcomeInfluenceOptions(options);
  const { setup, draws } = runChain(data, { ...o, blockBins: o.blockBins });
  const { np, na, nf, nk, authorPosts, framingCount, tieKinds, entryKind, learned } = setup;
  const { kept, stored, betaDraws, authorDraws, sDraws, phiDraws, shareDraws, piDraws, omegaDraws } = draws;
  const q = (1 - o.level) / 2;
  const column = (d: Float32Array | Float64Array, stride: number, j: number, n = kept): Interval => summarise(columnOf(d, stride, j, n), q);
  const tied = new Float64Array(nk);
  entryKind.forEach((k, i) => (tied[k]! += data.clickedCount[i]!));
  const clickKind = Math.max(0, tieKinds.indexOf('click'));
  const pi = columnOf(piDraws, nk, clickKind, kept), omega = columnOf(omegaDraws, nk, clickKind, kept);
  const check = (xs: Float64Array): ChainCheck => ({ rhat: splitRhat(xs), ess: effectiveSampleSize(xs) });
  const ties: TieSummary[] = tieKinds.map((kind, k) => {
    const pk = columnOf(piDraws, nk, k, kept), wk = columnOf(omegaDraws, nk, k, kept);
    return {
      kind,
      tied: tied[k]!,
      given_caused: summarise(pk, q),
      given_baseline: summarise(wk, q),
      share: learned[k] ? 'learned' : 'given',
      diagnostics: { given_caused: check(pk), given_baseline: check(wk) },
    };
  });
  const diagnostics = diagnose(data, kept, stored, shareDraws, pi, omega, phiDraws, authorDraws, authorPosts);
  for (const t of ties) {
    if (t.kind === tieKinds[clickKind]) continue;
    for (const [name, c] of [[`P(${t.kind} | caused)`, t.diagnostics.given_caused], [`P(${t.kind} | baseline)`, t.diagnostics.given_baseline]] as const) {
      if (c.rhat > 1.05 || c.ess < 100) diagnostics.warnings.push(`${name}: R-hat ${c.rhat.toFixed(3)}, ESS ${Math.round(c.ess)} (want R-hat ≤ 1.05 and ESS ≥ 100); run more iterations`);
    }
  }
  const kernelHours = summarise(draws.kernelDraws.map((t) => t / 3_600_000), q);
  const isolated = isolatedShares(data, kernelHours.mean * 3_600_000);
  // an author never allocated anything: the data's share of untied outcomes (0 when every outcome is tied)
  let untied = 0;
  for (const n of data.unclicked) untied += n;
  const untiedShare = setup.totalOutcomes > 0 ? untied / setup.totalOutcomes : 1;
  return {
    level: o.level,
    kept,
    posts: Array.from({ length: np }, (_, p) => column(betaDraws, np, p, stored)),
    authors: Array.from({ length: na }, (_, a) => ({
      ...column(authorDraws, na, a, stored),
      prob_positive: sDraws[a]! / kept,
      posts: authorPosts.off[a + 1]! - authorPosts.off[a]!,
      timing_share: draws.authorCaused[a]! > 0 ? draws.authorUntied[a]! / draws.authorCaused[a]! : untiedShare,
      isolated_share: isolated[a]!,
    })),
    framing: data.framings.map((name, f) => ({ framing: name, posts: framingCount[f]!, ...column(phiDraws, nf, f) })),
    share_caused: summarise(shareDraws, q),
    kernel_mean_hours: { ...kernelHours, learned: setup.learnKernel },
    click_given_caused: summarise(pi, q),
    click_given_baseline: summarise(omega, q),
    ties,
    diagnostics,
  };
}
