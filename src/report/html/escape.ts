/** Escaping for the HTML report: text into HTML, data into a JSON script block, code into a script element. */
import { CloutError } from '../../domain/index.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON for a `<script type="application/json">` element: every `<` becomes \u003c (so `</script>` or `<!--` in a
 * handle cannot end the element or change how it is parsed), and U+2028/U+2029 are escaped too. Still valid JSON.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Code for an inline `<script>` element; refuses code that could end the element early or switch the parser's state. */
export function inlineScript(code: string, what: string): string {
  if (/<\/script|<!--|<script/i.test(code)) throw new CloutError('internal', `${what} contains '</script', '<script' or '<!--' and cannot be inlined`);
  return code;
}
