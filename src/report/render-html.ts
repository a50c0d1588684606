/**
 * The HTML report: one self-contained file — the report's tables, the Chart.js bundle inlined (no network, no
 * external URL), the report document as JSON in a `<script type="application/json">` block, and a small script that
 * draws the charts from it. Pure: it reads the report document and the bundle text it is given.
 */
import { outcomeWords, type FullReport } from './full-report.js';
import { CLIENT_SCRIPT } from './html/client-script.js';
import { escapeHtml as esc, inlineScript, jsonForScript } from './html/escape.js';
import {
  campaignsSection,
  fallacySection,
  framingSection,
  leaderboardSection,
  postsSection,
  scatterSection,
  summarySection,
  tribesSection,
} from './html/sections.js';
import { REPORT_CSS } from './html/style.js';

/** Options of the HTML rendering. */
export interface HtmlOptions {
  /** Rows in the leaderboard, posts and tribes (tables and charts). */
  top: number;
  /** The Chart.js UMD bundle's text (html/chartjs.ts readChartJsBundle). */
  chartJs: string;
  /** When the report was made (ISO 8601), shown in the header. */
  generatedAt?: string;
}

/** The section ids of the HTML report, in page order (stable: links and tests rely on them). */
export const HTML_SECTIONS = ['summary', 'leaderboard', 'scatter', 'posts', 'framing', 'tribes', 'campaigns', 'fallacy'] as const;

const TITLES: Record<(typeof HTML_SECTIONS)[number], string> = {
  summary: 'Summary',
  leaderboard: 'Leaderboard',
  scatter: 'Followers vs influence',
  posts: 'Posts',
  framing: 'Framing',
  tribes: 'Tribes',
  campaigns: 'Campaigns',
  fallacy: 'Fallacy table',
};

/** Renders the whole report as one HTML document. */
export function renderReportHtml(report: FullReport, options: HtmlOptions): string {
  const outcome = outcomeWords(report.outcome.types);
  const sections = [
    summarySection(report),
    leaderboardSection(report, options.top),
    scatterSection(report),
    postsSection(report, options.top),
    framingSection(report),
    tribesSection(report, options.top),
    campaignsSection(report),
    fallacySection(report),
  ];
  const nav = HTML_SECTIONS.map((id) => `<li><a href="#${id}">${esc(TITLES[id])}</a></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>clout report — ${esc(outcome)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>clout report</h1>
<p class="meta">Who has followers, who brought outcomes, and what posts caused — outcome: ${esc(outcome)}${options.generatedAt ? ` · made ${esc(options.generatedAt)}` : ''}</p>
<nav aria-label="Sections"><ul>${nav}</ul></nav>
</header>
<main>
${sections.join('\n')}
</main>
<script type="application/json" id="clout-report-data">${jsonForScript({ top: options.top, report })}</script>
<script>${inlineScript(options.chartJs, 'the Chart.js bundle')}</script>
<script>${inlineScript(CLIENT_SCRIPT, 'the report script')}</script>
</body>
</html>
`;
}
