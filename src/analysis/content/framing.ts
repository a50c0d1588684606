/**
 * How a post asks: who vouches and who benefits (docs/methods.md, "Framing"). A transparent rule classifier into
 * pitch (the author asks for their own benefit, or repeats seller's copy: "Title — link", "now live, support me",
 * "buy it here"), endorsement (the author recommends someone else's thing from their own experience or belief), bare
 * link (nothing but the link) and other (no ask). Features: cues of the author's own thing and of asks for the
 * author's benefit (from the text, and from the store when it knows the link or mention is the author's own),
 * seller's copy, a told experience, a recommendation, a reason, someone else named; wink-nlp gives the tokens, parts
 * of speech and sentiment. Every classification names the rule that fired and the cues behind it.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { memoizeString } from '../../domain/index.js';
import { CREATIONS, EXPERIENCES, OTHER_LANGUAGE_CUES, OWN_BLOCK, OWN_THING, REASONS, RECOMMENDATIONS, SALES, SELF_ASKS, type Cue } from './framing-lexicon.js';
import { framingLanguage } from './framing-language.js';
import { handleOf, urlNamesAccount } from './framing-owner.js';

export { FRAMINGS, type Framing } from '../../domain/index.js';
import type { Framing } from '../../domain/index.js';

/** What the store (or the caller) knows about a post beyond its text. All optional: text alone still works. */
export interface FramingContext {
  /** The post's link goes to the author's own thing (a campaign they own, a page that names their handle). */
  ownLink?: boolean;
  /** The post mentions, quotes or replies to the author's own account or post. */
  ownMention?: boolean;
  /** What the post is (format v1.1): original, reply, quote, repost. */
  kind?: string | null;
  /** The post's language (BCP 47) when the platform gave it. */
  lang?: string | null;
  /** The post carries a link even when its text shows none (a link column, a tracked link). */
  link?: boolean;
  /** The author's handle: a mention of it, or a link naming it, in the text is the author's own. */
  handle?: string | null;
}

/** The features of one post. */
export interface FramingFeatures {
  /** Word tokens (links, mentions, hashtags, emoji and punctuation excluded). */
  words: number;
  links: number;
  /** First-person pronouns: I, me, my, we, our, … */
  first_person: number;
  /** Verbs (wink-nlp's parts of speech). */
  verbs: number;
  /** Sentiment intensity in [−1, 1] (wink-nlp). */
  sentiment: number;
  exclamations: number;
  questions: number;
  /** Share of the tokens that are the link or a capitalised title-like word (1 = nothing but a title and a link). */
  title_link_share: number;
  /** The language read ('en', 'es', 'de', 'fr', or another code when not supported). */
  language: string;
  /** Cues that the author benefits: an ask for themselves, a launch of theirs, a link or mention of their own. */
  own: string[];
  /** The author's own thing named ("my new book", "our app"): a pitch unless the post vouches for someone else's. */
  own_things: string[];
  /** Seller's copy: buy, out now, % off, use code, link in bio, … */
  sales: string[];
  /** A told experience: "I read", "changed how I", "saved me", … */
  experience: string[];
  /** A recommendation to the reader: "recommend", "worth it", "you should", "go read", … */
  recommendation: string[];
  /** Reasons given: because, since I, after reading, … */
  reasons: string[];
  /** Someone else named: @mentions (not the reply's addressees, not the author), she/he/they. */
  third_party: number;
  /** Sentence ends followed by more words (a title has none). */
  sentences: number;
  /** The post is a reply (it starts with the handles it answers, or its kind says so). */
  reply: boolean;
  /** The account whose words a retweet ("RT @x: …") repeats, else null. */
  repeats: string | null;
}

/** A classification with its reason (the rule that fired and the cues behind it). */
export interface FramingResult {
  framing: Framing;
  reason: string;
  features: FramingFeatures;
}

const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself', 'we', 'us', 'our', 'ours', "i'm", "i've", "i'd", "i'll", "we're", "we've"]);
const THIRD_PERSON = new Set(['she', 'he', 'they', 'her', 'his', 'their', 'him', 'them', "she's", "he's", "they're"]);
/** Words that add nothing to a link ("this", "wow", "via"): a post of the link and at most two of them is a bare link. */
const FILLERS = new Set(['this', 'wow', 'lol', 'lmao', 'same', 'yes', 'yep', 'ok', 'okay', 'via', 'here', 'look', 'omg', 'ha', 'haha', 'so', 'oh', 'mood', 'yup', 'see']);
const RETWEET = /^\s*rt\s+@(\w+):?\s*/i;
const LEADING_HANDLES = /^(\s*@\w+[,:]?)+\s*/;
const LINK = /\bhttps?:\/\/\S+/gi;
const HASHTAG = /(^|\s)#[\p{L}\p{N}_]+/gu;

let nlp: ReturnType<typeof winkNLP> | undefined;
function reader(): ReturnType<typeof winkNLP> {
  nlp ??= winkNLP(model);
  return nlp;
}

/** The context with the author's handle already looked for in the text (so the memo's key needs no handle). */
interface ResolvedContext extends Omit<FramingContext, 'handle'> {
  handleLink?: boolean;
  handleMention?: boolean;
}

/** Looks for the author's handle in the text: a link that names it, an @mention of it. */
function resolveContext(text: string, context: FramingContext): ResolvedContext {
  const { handle: raw, ...rest } = context;
  const handle = handleOf(raw);
  if (handle === null) return rest;
  const urls = text.match(LINK) ?? [];
  return { ...rest, handleLink: urls.some((u) => urlNamesAccount(u, handle)), handleMention: new RegExp(`@${handle.replace(/[^a-z0-9_]/g, '\\$&')}\\b`, 'i').test(text) };
}

/** Extracts the features of a post's text (with what the context adds about ownership and language). */
export function framingFeatures(text: string, context: FramingContext = {}): FramingFeatures {
  return featuresOf(text, resolveContext(text, context));
}

function featuresOf(text: string, context: ResolvedContext): FramingFeatures {
  const repeated = RETWEET.exec(text);
  const repeats = repeated ? repeated[1]! : null;
  let body = repeated ? text.slice(repeated[0].length) : text;
  const addressees = body.match(LEADING_HANDLES)?.[0] ?? '';
  body = body.slice(addressees.length);
  const norm = normalise(body);

  const n = reader();
  const its = n.its;
  const doc = n.readDoc(body.replace(HASHTAG, ' ')); // hashtags are labels, not words
  const types = doc.tokens().out(its.type) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const lower = doc.tokens().out(its.normal) as string[];
  const raw = doc.tokens().out() as string[];
  let words = 0, links = 0, first = 0, third = 0, verbs = 0, exclaim = 0, question = 0, titleLike = 0, counted = 0, fillers = 0;
  const wordList: string[] = [];
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    if (t === 'url') {
      links++;
      titleLike++;
      counted++;
      continue;
    }
    if (t === 'mention') {
      third++;
      continue;
    }
    if (t === 'punctuation') {
      if (raw[i]!.includes('!')) exclaim++;
      if (raw[i]!.includes('?')) question++;
      continue;
    }
    if (t !== 'word' && t !== 'number' && t !== 'ordinal') continue;
    const w = lower[i]!;
    wordList.push(w);
    words++;
    counted++;
    if (FILLERS.has(w)) fillers++;
    if (FIRST_PERSON.has(w)) first++;
    if (THIRD_PERSON.has(w)) third++;
    if (pos[i] === 'VERB') verbs++;
    if (pos[i] === 'PROPN' || pos[i] === 'DET' || pos[i] === 'ADP' || pos[i] === 'CCONJ' || pos[i] === 'NUM' || /^[A-Z0-9]/.test(raw[i]!)) titleLike++;
  }
  const language = framingLanguage(wordList, context.lang);
  const own: string[] = [];
  if (context.ownLink) own.push('own link (store)');
  if (context.ownMention) own.push('own mention (store)');
  if (context.handleLink) own.push("link names the author's handle");
  if (context.handleMention) own.push("mentions the author's own handle");
  const english = language.lang === 'en';
  if (english) {
    own.push(...matched(SELF_ASKS, norm));
    if (links > 0 || context.link === true) own.push(...matched(CREATIONS, norm));
  }
  return {
    words: words - (fillers <= 2 && words <= 2 ? fillers : 0),
    links,
    first_person: first,
    verbs,
    sentiment: Number(doc.out(its.sentiment)) || 0,
    exclamations: exclaim,
    questions: question,
    title_link_share: counted > 0 ? titleLike / counted : 0,
    language: language.lang === 'unsupported' ? language.code : language.lang,
    own: [...new Set(own)],
    own_things: english ? ownThings(norm) : [],
    sentences: sentenceBreaks(body.replace(LINK, ' ')),
    reply: addressees !== '' || context.kind === 'reply',
    sales: english ? matched(SALES, norm) : [],
    experience: english ? matched(EXPERIENCES, norm) : [],
    recommendation: english ? matched(RECOMMENDATIONS, norm) : [],
    reasons: english ? matched(REASONS, norm) : [],
    third_party: third,
    repeats,
  };
}

/** Classifies a post by transparent rules over its features; the context (from the store) is optional. */
export function classifyFraming(text: string | null | undefined, context?: FramingContext): FramingResult {
  const t = text ?? '';
  if (context === undefined) return classifyMemo('\u0000' + t);
  const c = resolveContext(t, context);
  return classifyMemo(JSON.stringify([c.ownLink, c.ownMention, c.kind, c.lang, c.link, c.handleLink, c.handleMention]) + '\u0000' + t);
}

/** Texts repeat (reposts, templates, the report and the model reading the same posts): each is classified once. */
const classifyMemo = memoizeString((key: string) => {
  const cut = key.indexOf('\u0000');
  const ctx = cut === 0 ? [] : (JSON.parse(key.slice(0, cut)) as [boolean?, boolean?, string?, string?, boolean?, boolean?, boolean?]);
  const context: ResolvedContext = { ownLink: ctx[0], ownMention: ctx[1], kind: ctx[2], lang: ctx[3], link: ctx[4], handleLink: ctx[5], handleMention: ctx[6] };
  return classifyText(key.slice(cut + 1), context);
}, 100_000);

function classifyText(text: string, context: ResolvedContext): FramingResult {
  const f = featuresOf(text, context);
  const decide = (framing: Framing, rule: string, cues: readonly string[] = []): FramingResult => ({
    framing,
    reason: (f.repeats !== null ? `repeats @${f.repeats}: ` : '') + rule + (cues.length > 0 ? ` (${cues.join(', ')})` : ''),
    features: f,
  });
  const hasLink = f.links > 0 || context.link === true;
  if (f.words === 0) {
    if (hasLink || text.trim() === '') return decide('bare_link', f.links > 0 ? 'nothing but the link' : 'no words');
    return decide('other', 'no words and no link');
  }
  if (f.language !== 'en') return classifyOtherLanguage(text, f, decide);
  if (f.own.length > 0) return decide('pitch', 'the author benefits', f.own);
  const named = f.third_party > 0;
  // the author's own thing named, in a post that tells what someone else's thing did ("signed up for @x's course …
  // shipped my first library") is the outcome of an endorsement, not a pitch
  if (f.own_things.length > 0 && !(named && f.experience.length > 0)) return decide('pitch', 'the author benefits', f.own_things);
  if (f.experience.length > 0 && (hasLink || named || f.recommendation.length > 0 || f.reply)) {
    return decide('endorsement', 'vouches from experience', [...f.experience, ...f.recommendation, ...f.reasons, ...(named ? ['someone else named'] : [])]);
  }
  if (f.sales.length > 0) return decide('pitch', "seller's copy", f.sales);
  if (f.recommendation.length > 0 && (hasLink || named)) {
    return decide('endorsement', 'recommends someone else\'s thing', [...f.recommendation, ...f.reasons, ...(named ? ['someone else named'] : [])]);
  }
  if (f.reasons.length > 0 && named && hasLink) return decide('endorsement', 'gives a reason for someone else\'s thing', f.reasons);
  if (f.questions > 0) return decide('other', 'asks a question');
  if (!hasLink) return decide('other', 'no ask (no link, no cue)');
  if (f.sentences === 0 && (f.title_link_share >= 0.6 || (f.verbs === 0 && f.words <= 10))) return decide('pitch', 'a title and a link');
  if (f.first_person > 0 && f.verbs >= 1 && f.words >= 6 && f.sentiment >= 0) return decide('endorsement', 'tells a first-person story with the link');
  return decide('other', 'no ask (none of the cues)');
}

/** Spanish, German and French: the clear cues only; anything else is not supported. */
function classifyOtherLanguage(text: string, f: FramingFeatures, decide: (framing: Framing, rule: string, cues?: readonly string[]) => FramingResult): FramingResult {
  if (f.language !== 'es' && f.language !== 'de' && f.language !== 'fr') return decide('other', `language not supported (${f.language})`);
  const cues = OTHER_LANGUAGE_CUES[f.language];
  const norm = normalise(text);
  if (f.own.length > 0) return decide('pitch', 'the author benefits', f.own);
  if (cues.own.test(norm)) return decide('pitch', 'the author benefits', [`own thing (${f.language})`]);
  if (cues.endorse.test(norm)) return decide('endorsement', 'vouches from experience', [`recommendation (${f.language})`]);
  if (cues.sales.test(norm)) return decide('pitch', "seller's copy", [`sales (${f.language})`]);
  return decide('other', `language not supported (${f.language}): no clear cue`);
}

/** Lower case, straight apostrophes, links as `<link>`, spaces collapsed (what the lexicon's patterns read). */
function normalise(text: string): string {
  return text.replace(LINK, ' <link> ').replace(/[‘’ʼ]/g, "'").toLowerCase().replace(/[ \t]+/g, ' ');
}

/** Sentence ends ('.', '!', '?', a line break) followed by more words. */
function sentenceBreaks(text: string): number {
  return (text.trim().match(/([.!?]+|\n)\s*(?=\S)/g) ?? []).length;
}

/** The names of the cues whose pattern matches. */
function matched(cues: readonly Cue[], text: string): string[] {
  return cues.filter((c) => c.re.test(text)).map((c) => c.name);
}

/** Verbs whose object "my X" is what someone else's thing did for the author ("saved my project"), not a product. */
const BENEFIT_VERBS = new Set(['saved', 'saves', 'helped', 'helps', 'fixed', 'fixes', 'improved', 'changed', 'transformed', 'rescued', 'made']);

/**
 * "my new book", "our project": the author's own thing, unless the words between say otherwise ("my favourite
 * podcast") or it is the object of what something did or where something went ("saved my project", "in our app").
 */
function ownThings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(OWN_THING)) {
    const between = m[2]!.trim().split(/\s+/).filter((w) => w !== '');
    if (between.some((w) => OWN_BLOCK.has(w))) continue;
    const before = /(\S+)\s*$/.exec(text.slice(0, m.index))?.[1];
    if (before !== undefined && BENEFIT_VERBS.has(before)) continue;
    out.push(`${m[1]} ${m[3]}`);
  }
  return out;
}
