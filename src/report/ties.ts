/** How the report words the tie rules that tied conversions to accounts (docs/importers.md). */
import { TIE_RULES, type TieRule } from '../domain/index.js';
import { formatInt } from './table.js';

const TIE_LABELS: Record<TieRule, string> = {
  click: 'by click id',
  link: 'by the link they name',
  post: 'by the post they name',
  code: 'by code',
  utm: 'by UTM tags',
  none: 'by nothing',
};

/** "12 by click id, 3 by code, 5 by nothing": the tie rules that tied any conversion, in the order they are tried. */
export function tiedByLine(tiedBy: Record<TieRule, number>): string {
  const parts = TIE_RULES.filter((r) => tiedBy[r] > 0 || r === 'none').map((r) => `${formatInt(tiedBy[r])} ${TIE_LABELS[r]}`);
  return parts.join(', ');
}
