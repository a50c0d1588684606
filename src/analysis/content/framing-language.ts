/**
 * Which language a post is in, cheaply: the post's own `lang` when the platform gave one, otherwise a count of
 * common function words of English, Spanish, German and French. Framing reads English fully and a few clear cues of
 * the other three; a post in any other language is "language not supported".
 */
import type { OtherLanguage } from './framing-lexicon.js';

/** What the classifier does with a language: read it fully, read its clear cues, or not at all. */
export type LanguageSupport = { lang: 'en' } | { lang: OtherLanguage } | { lang: 'unsupported'; code: string };

const STOP_WORDS: Record<'en' | OtherLanguage, ReadonlySet<string>> = {
  en: new Set('the and is to of you it for my this i a in on with that your me was be are just at have so but not we our what who how'.split(' ')),
  es: new Set('el la los las de que y en un una por para con mi es está esta muy más este lo del al hoy qué ya se su pero como'.split(' ')),
  de: new Set('der die das und ist ich nicht ein eine mit für auf mein meine heute jetzt kann nur hat mir sehr im zu den dem auch keine habe war wir ab'.split(' ')),
  fr: new Set('le la les de des et est un une pour avec mon ma mes je ce cette pas que qui dans sur il elle au du très enfin ici on se à'.split(' ')),
};

/** Codes that mean "no language" or "not known" (platforms write these for posts of links and emoji). */
const NO_LANGUAGE = new Set(['', 'und', 'zxx', 'mul', 'qme', 'qht', 'qam', 'art']);

/** The language of a post: its `lang` field when given (a BCP 47 tag; `en-GB` is English), else a stop-word count. */
export function framingLanguage(words: readonly string[], lang?: string | null): LanguageSupport {
  const tag = (lang ?? '').trim().toLowerCase();
  if (!NO_LANGUAGE.has(tag)) {
    const primary = tag.split(/[-_]/)[0]!;
    if (primary === 'en') return { lang: 'en' };
    if (primary === 'es' || primary === 'de' || primary === 'fr') return { lang: primary };
    return { lang: 'unsupported', code: primary };
  }
  return { lang: guessLanguage(words) };
}

/** The language whose function words are most frequent; English unless another has at least two and more. */
export function guessLanguage(words: readonly string[]): 'en' | OtherLanguage {
  const hits = { en: 0, es: 0, de: 0, fr: 0 };
  for (const w of words) for (const l of ['en', 'es', 'de', 'fr'] as const) if (STOP_WORDS[l].has(w)) hits[l]++;
  let best: 'en' | OtherLanguage = 'en';
  for (const l of ['es', 'de', 'fr'] as const) if (hits[l] >= 2 && hits[l] > hits.en && hits[l] > (best === 'en' ? 0 : hits[best])) best = l;
  return best;
}
