/** The HTML report's building blocks: tables, chart canvases, sections and notes. Every text goes through escapeHtml. */
import { escapeHtml as esc } from './escape.js';

/** A table column: header, whether it holds numbers, and the cell's HTML (already escaped). */
export interface Col<T> {
  head: string;
  num?: boolean;
  cell: (row: T, index: number) => string;
}

/** A table with a caption, a header row and one row per item (cells already escaped). */
export function table<T>(id: string, caption: string, rows: readonly T[], cols: readonly Col<T>[]): string {
  const head = cols.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('');
  const body = rows.map((r, i) => `<tr>${cols.map((c) => `<td${c.num ? ' class="num"' : ''}>${c.cell(r, i)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table id="${id}"><caption>${esc(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A chart canvas the client script draws (`data-chart` names it), `height` pixels tall. */
export function chart(name: string, label: string, height: number): string {
  return `<div class="chart" style="height:${Math.round(height)}px"><canvas data-chart="${name}" role="img" aria-label="${esc(label)}"></canvas></div>`;
}

/** A `<section>` with a stable id and its heading. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-title">\n<h2 id="${id}-title">${esc(title)}</h2>\n${body}\n</section>`;
}

/** A note paragraph (escaped). */
export function note(text: string): string {
  return `<p class="note">${esc(text)}</p>`;
}
