/**
 * A link ready for the redirect hot path: each destination split around where the click id goes, so a redirect is
 * two string concatenations, and the variant weights as a cumulative table.
 */
import type { LinkRow } from '../../store/server-links.js';

/** One destination with the click id slot precomputed. */
export interface CompiledTarget {
  /** Location before the click id (ends with `?param=` or `&param=`), or the whole location when ids are off. */
  prefix: string;
  /** Location after the click id (the fragment), '' when none. */
  suffix: string;
  /** Whether a click id is appended. */
  withId: boolean;
  /** Variant label recorded on the click (null for a link without variants). */
  label: string | null;
}

/** A link as the redirect serves it. */
export interface CompiledLink {
  id: string;
  key: string;
  targets: CompiledTarget[];
  /** Cumulative normalized weights (last = 1), same order as targets. */
  cumulative: Float64Array;
}

/** Splits `dest` around the click id parameter `param` (replacing any value it already has). */
export function compileTarget(dest: string, param: string | null, label: string | null): CompiledTarget {
  if (param === null) return { prefix: dest, suffix: '', withId: false, label };
  const url = new URL(dest);
  url.searchParams.delete(param);
  const suffix = url.hash;
  url.hash = '';
  const base = url.href;
  const sep = url.search.length > 1 ? '&' : base.endsWith('?') ? '' : '?';
  return { prefix: `${base}${sep}${encodeURIComponent(param)}=`, suffix, withId: true, label };
}

/** Compiles a stored link (its key must be set); `defaultParam` applies when the link has no setting. */
export function compileLink(row: LinkRow, defaultParam: string): CompiledLink {
  const param = row.click_id_param === undefined ? defaultParam : row.click_id_param;
  const variants = row.variants && row.variants.length > 0 ? row.variants : null;
  const targets = variants
    ? variants.map((v, i) => compileTarget(v.url, param, v.label ?? String(i)))
    : [compileTarget(row.url, param, null)];
  const weights = variants ? variants.map((v) => v.weight) : [1];
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    cumulative[i] = acc;
  }
  cumulative[weights.length - 1] = 1;
  return { id: row.id, key: row.key!, targets, cumulative };
}

/** The target for a uniform draw u in [0, 1). */
export function pickTarget(link: CompiledLink, u: number): CompiledTarget {
  const c = link.cumulative;
  if (c.length === 1) return link.targets[0]!;
  let i = 0;
  while (i < c.length - 1 && u >= c[i]!) i++;
  return link.targets[i]!;
}
