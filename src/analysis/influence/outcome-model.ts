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
 * Gibbs sampling with data augmentation: allocate every count to its sources (binomial for clicked counts,
 * multinomial for the rest), then draw every rate from its conditional (Gamma, Beta; log θ by Metropolis), flip s_a
 * by a Metropolis step with an informed proposal of the author's effects, and take Metropolis steps along the ridge
 * "more caused outcomes without a click, less baseline" (all effects × e^δ, π × e^−δ, baseline levels rescaled), which
 * the allocation updates alone cross far too slowly when posts are dense. The option fixedBaseline hands the model a
 * known μ_b (oracle fits on synthetic worlds): no baseline draws, and the ridge moves leave μ in place. Per account,
 * timing_share and isolated_share say how much of its estimate rests on timing alone. Pure and seeded.
 *
 * Stages, one file each: model (data, options, defaults, kernel) → sampler (chain state and sweep; steps: one function
 * per Gibbs/Metropolis step; likelihoods; grid draws) → summary (intervals, diagnostics). This file is the public entry.
 */
import { isolatedShares, resolveOutcomeInfluenceOptions, type OutcomeInfluenceData, type OutcomeInfluenceOptions, type OutcomeInfluenceResult, type Interval } from './model.js';
import { runChain } from './sampler.js';
import { columnOf, diagnose, summarise } from './summary.js';

export { OUTCOME_INFLUENCE_DEFAULTS, resolveOutcomeInfluenceOptions, type ResolvedOutcomeInfluenceOptions, type ChainCheck, type OutcomeInfluenceData, type OutcomeInfluenceDiagnostics, type OutcomeInfluenceOptions, type OutcomeInfluenceResult, type Interval } from './model.js';
export { summarise } from './summary.js';

/** Fits the model by Gibbs sampling and summarises the kept draws. */
export function fitOutcomeInfluence(data: OutcomeInfluenceData, options: OutcomeInfluenceOptions = {}): OutcomeInfluenceResult {
  const o = resolveOutcomeInfluenceOptions(options);
  const { setup, draws } = runChain(data, { ...o, blockBins: o.blockBins });
  const { np, na, nf, authorPosts, framingCount } = setup;
  const { kept, stored, betaDraws, authorDraws, sDraws, phiDraws, shareDraws, piDraws, omegaDraws } = draws;
  const q = (1 - o.level) / 2;
  const column = (d: Float32Array | Float64Array, stride: number, j: number, n = kept): Interval => summarise(columnOf(d, stride, j, n), q);
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
    click_given_caused: summarise(piDraws, q),
    click_given_baseline: summarise(omegaDraws, q),
    diagnostics: diagnose(data, kept, stored, shareDraws, piDraws, omegaDraws, phiDraws, authorDraws, authorPosts),
  };
}
