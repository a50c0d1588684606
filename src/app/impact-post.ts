/**
 * Use case `clout impact --post ID`: the single-series counterfactual around the post (causal impact engine), the
 * other posts of the same outcome that fall in its window, and — when the post is a candidate post of the
 * outcome-influence model — the model's joint estimate of the post's incremental outcomes, which gives the verdict
 * when neighbours overlap (see docs/impact.md, "One post among many").
 *
 * The joint model is fitted once for the whole store; a caller that asks about many posts (bench/impact-posts.ts)
 * fits it once with `fitJointModel` and passes it to every `postImpact` call.
 */
import { runImpact } from './impact-run.js';
import {
  analysisWindow,
  overlappingPosts,
  postVerdict,
  resolveImpactOptions,
  type ImpactHooks,
  type ImpactOptions,
  type ImpactResult,
  type JointEstimate,
  type OverlappingPosts,
  type PostVerdict,
} from '../analysis/impact/index.js';
import { fitOutcomeInfluence, type OutcomeInfluenceResult } from '../analysis/influence/outcome-model.js';
import { CloutError, type CandidatePosts } from '../domain/index.js';
import { burnFor, candidatesFor, modelTypes, type OutcomeInfluenceInput } from '../report/index.js';
import { candidatePosts, type Conn } from '../store/index.js';
import { JOINT_NITER, storeImpactInput, type StoreImpactInput, type StoreImpactRequest } from './impact.js';
import { loadInfluenceInput } from './influence-input.js';

export { JOINT_NITER };

/** What to analyse: a post and how to build its outcome series (the flags of `impact --post`). */
export type PostImpactRequest = Omit<StoreImpactRequest, 'post' | 'campaign'> & { post: string };

/** The outcome-influence model of one set of outcome types, fitted (or not yet) with one sampler setting. */
export interface JointModel {
  types: string[];
  candidates: CandidatePosts;
  input: OutcomeInfluenceInput;
  /** Null when the store has no candidate post. */
  fit: OutcomeInfluenceResult | null;
  niter: number;
  burn: number;
  seed: number;
  /** Interval level of `fit` (1 − α). */
  level: number;
  /** Seconds the fit took. */
  seconds: number;
}

/** Settings of the joint fit. */
export interface JointSettings {
  niter?: number;
  seed?: number;
  /** Interval level (default 0.95). */
  level?: number;
}

/** Loads the outcome model's input for these outcome types (default sale) and fits it, seeded. */
export async function fitJointModel(conn: Conn, types: readonly string[], settings: JointSettings = {}): Promise<JointModel> {
  const t = modelTypes(types);
  const candidates = candidatesFor(t);
  const input = await loadInfluenceInput(conn, { types: t, candidates, controls: [] });
  const niter = settings.niter ?? JOINT_NITER;
  const seed = settings.seed ?? 1;
  const level = settings.level ?? 0.95;
  const burn = burnFor(niter);
  const t0 = performance.now();
  const fit = input.posts.length === 0 ? null : fitOutcomeInfluence(input.data, { niter, burn, seed, level });
  return { types: t, candidates, input, fit, niter, burn, seed, level, seconds: (performance.now() - t0) / 1000 };
}

/** How to get the joint estimate. */
export interface PostImpactHow {
  /** A model already fitted for the same outcome types (reused), `false` for none, else fitted here when it applies. */
  joint?: JointModel | false;
  /** Sampler iterations when fitted here (default JOINT_NITER). */
  jointNiter?: number;
  hooks?: ImpactHooks;
}

/** Everything `impact --post` reports. */
export interface PostImpactResult {
  input: StoreImpactInput;
  /** The single-series counterfactual (unchanged from `impact` without neighbours). */
  bsts: ImpactResult;
  overlapping_posts: OverlappingPosts;
  /** The joint estimate of the post's incremental outcomes; null with `joint_note` saying why when there is none. */
  joint: JointEstimate | null;
  joint_note: string | null;
  verdict: PostVerdict;
}

const describeCandidates = (c: CandidatePosts, types: string[]): string =>
  `${c === 'in_campaigns' ? 'link posts in campaigns' : c === 'outside_campaigns' ? 'link posts outside campaigns' : 'link posts'} (${types.join('+')})`;

/**
 * Analyses one post: builds its outcome series (throws like `storeImpactInput`), runs the single-series model,
 * lists the other candidate posts of the outcome inside the window, and reads the post's joint estimate from the
 * outcome model (fitted here unless given, and only when the outcome is counted conversions and the post is one of
 * the model's candidate posts).
 */
export async function postImpact(conn: Conn, req: PostImpactRequest, options: ImpactOptions, how: PostImpactHow = {}): Promise<PostImpactResult> {
  const input = await storeImpactInput(conn, { ...req });
  const types = modelTypes(req.types);
  const candidates = candidatesFor(types);
  const resolved = resolveImpactOptions(options);
  if (how.joint && how.joint.types.join('+') !== types.join('+')) {
    throw new CloutError('usage', `impact: the joint model given counts ${how.joint.types.join('+')}, the analysis ${types.join('+')}`);
  }
  let joint: JointEstimate | null = null;
  let jointNote: string | null = null;
  let model: JointModel | undefined = how.joint === false ? undefined : how.joint;
  let posts: { id: string; at: number }[];
  if (req.target !== undefined) {
    jointNote = `the outcome is the metric series '${req.target}'; the joint model counts conversions (${types.join('+')})`;
  } else if (how.joint === false) {
    jointNote = 'the joint model was not fitted (--no-joint)';
  }
  if (jointNote === null) {
    const known = model?.input.posts ?? (await candidatePosts(conn, candidates));
    if (!known.some((p) => p.id === req.post)) {
      jointNote = `post '${req.post}' is not a candidate post of the outcome model (${describeCandidates(candidates, types)})`;
      posts = known;
    } else {
      model ??= await fitJointModel(conn, types, { niter: how.jointNiter, seed: resolved.seed, level: 1 - resolved.alpha });
      posts = model.input.posts;
      joint = jointEstimate(model, req.post);
    }
  } else {
    posts = model?.input.posts ?? (await candidatePosts(conn, candidates));
  }
  const d = input.data;
  const window = analysisWindow(d.times ?? [], d.pre, d.post, input.bucket);
  const overlap = overlappingPosts(window, posts!, req.post, describeCandidates(candidates, types));
  const bsts = await runImpact(d, options, how.hooks ?? {});
  return { input, bsts, overlapping_posts: overlap, joint, joint_note: jointNote, verdict: postVerdict(bsts, joint, overlap) };
}

/** The post's summary from a fitted joint model (null when the model has no such post or no fit). */
export function jointEstimate(model: JointModel, postId: string): JointEstimate | null {
  const i = model.input.posts.findIndex((p) => p.id === postId);
  if (i < 0 || model.fit === null) return null;
  const b = model.fit.posts[i]!;
  const author = model.fit.authors[model.input.data.postAuthor[i]!]!;
  return {
    model: 'outcome-influence',
    post: postId,
    mean: b.mean,
    lower: b.lower,
    upper: b.upper,
    level: model.level,
    prob_positive: author.prob_positive,
    excludes_zero: b.lower > 0,
    author_posts: author.posts,
    posts_modelled: model.input.posts.length,
    niter: model.niter,
    burn: model.burn,
    seed: model.seed,
    warnings: [...model.fit.diagnostics.warnings],
  };
}
