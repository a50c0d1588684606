/**
 * What `clout impact --post` adds to the single-series report: the other posts of the outcome inside the window (a
 * warning), the outcome model's joint estimate of the post's incremental outcomes, and the verdict with where it
 * came from — as terminal lines and as the JSON document's extra fields. Reads results only.
 */
import type { JointEstimate, OverlappingPosts, PostVerdict } from '../analysis/impact/index.js';

/** The parts of a post analysis beside the single-series result. */
export interface PostImpactExtras {
  overlapping_posts: OverlappingPosts;
  joint: JointEstimate | null;
  joint_note: string | null;
  verdict: PostVerdict;
}

/** The warning about neighbouring posts (null when no other post falls in the window). */
export function overlapWarning(o: OverlappingPosts): string | null {
  if (o.count === 0) return null;
  const list = (ids: string[]) => (ids.length <= 8 ? ids.join(', ') : `${ids.slice(0, 8).join(', ')}, … (${ids.length - 8} more)`);
  const inPost = o.post > 0 ? `; in the post period: ${list(o.post_ids)}` : '';
  return (
    `${o.count} other post${o.count === 1 ? '' : 's'} of this outcome (${o.of}) fall in the window: ${o.pre} in the pre-period, ` +
    `${o.post} in the post period${inPost}. The single-series effect counts what their effects add to the post period ` +
    'and learns its noise from a pre-period that holds theirs'
  );
}

/** The JSON document's extra fields (beside the unchanged single-series fields). */
export function postImpactJson(x: PostImpactExtras): Record<string, unknown> {
  return {
    overlapping_posts: { ...x.overlapping_posts, warning: overlapWarning(x.overlapping_posts) },
    joint: x.joint,
    joint_note: x.joint_note,
    verdict_from: x.verdict.from,
    verdict: x.verdict,
  };
}

const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Terminal lines: the warning, the joint estimate (or why there is none), the verdict. */
export function renderPostImpactText(x: PostImpactExtras, outcome: string): string {
  const lines: string[] = [];
  const w = overlapWarning(x.overlapping_posts);
  if (w !== null) lines.push(`warning: ${w}`);
  lines.push('');
  const j = x.joint;
  if (j !== null) {
    lines.push(
      `Joint estimate (outcome model: all ${j.posts_modelled} candidate posts fitted together; ${j.niter} iterations, ${j.burn} burn-in, seed ${j.seed})`,
    );
    lines.push(
      `  ${outcome} caused by ${j.post}: ${num(j.mean)}, ${Math.round(j.level * 100)}% interval [${num(j.lower)}, ${num(j.upper)}]; ` +
        `P(caused any) ${j.prob_positive.toFixed(2)} (its author, ${j.author_posts} post${j.author_posts === 1 ? '' : 's'})`,
    );
    for (const m of j.warnings) lines.push(`  warning: ${m} (raise --joint-niter)`);
  } else if (x.joint_note !== null) {
    lines.push(`Joint estimate: none — ${x.joint_note}`);
  }
  const from = x.verdict.from === 'joint' ? 'from the joint estimate' : x.verdict.from === 'bsts' ? 'from the single series' : 'none';
  lines.push(`Verdict (${from}): ${x.verdict.text}`);
  return lines.join('\n') + '\n';
}
