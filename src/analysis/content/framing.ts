/**
 * How a post asks: explainable text features (wink-nlp for tokens, parts of speech and sentiment intensity) and a
 * transparent rule classifier into pitch ("Title — link"), endorsement (a personal experience with the link), bare
 * link (nothing but the link) and other. Every classification names the rule that fired and the features behind it,
 * so a reader can see why a post was put where it is.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { memoizeString } from '../../domain/index.js';

export { FRAMINGS, type Framing } from '../../domain/index.js';
import { FRAMINGS, type Framing } from '../../domain/index.js';

/** The features of one post text. */
export interface FramingFeatures {
  /** Word tokens (links, punctuation, emoji and hashtags excluded). */
  words: number;
  links: number;
  /** First-person singular pronouns: I, me, my, mine, myself (an experience being told). */
  first_person: number;
  /** Verbs other than sales imperatives (a story, not a label). */
  verbs: number;
  /** Sentiment intensity in [−1, 1] (wink-nlp). */
  sentiment: number;
  exclamations: number;
  questions: number;
  /** Sales imperatives and phrases: buy, order, get yours, out now, available, link in bio, % off, … */
  sales_imperatives: number;
  /** Share of the tokens that are the link or a capitalised title-like word (1 = nothing but a title and a link). */
  title_link_share: number;
}

/** A classification with its reason. */
export interface FramingResult {
  framing: Framing;
  reason: string;
  features: FramingFeatures;
}

const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself', "i'm", "i've", "i'd", "i'll"]);
const SALES_WORDS = new Set(['buy', 'order', 'preorder', 'pre-order', 'shop', 'available', 'sale', 'discount', 'deal', 'purchase', 'get', 'grab']);
const SALES_PHRASES = [/\bout now\b/i, /\blink in bio\b/i, /\bget yours\b/i, /\d+\s*% off\b/i, /\buse code\b/i, /\bon sale\b/i];

let nlp: ReturnType<typeof winkNLP> | undefined;
function reader(): ReturnType<typeof winkNLP> {
  nlp ??= winkNLP(model);
  return nlp;
}

/** Extracts the framing features of a text. */
export function framingFeatures(text: string): FramingFeatures {
  const n = reader();
  const its = n.its;
  const doc = n.readDoc(text);
  const types = doc.tokens().out(its.type) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const norm = doc.tokens().out(its.normal) as string[];
  const raw = doc.tokens().out() as string[];
  let words = 0, links = 0, first = 0, verbs = 0, sales = 0, exclaim = 0, question = 0, titleLike = 0, counted = 0;
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    if (t === 'url') {
      links++;
      titleLike++;
      counted++;
      continue;
    }
    if (t === 'punctuation') {
      if (raw[i]!.includes('!')) exclaim++;
      if (raw[i]!.includes('?')) question++;
      continue;
    }
    if (t !== 'word' && t !== 'number' && t !== 'ordinal') continue;
    words++;
    counted++;
    const w = norm[i]!;
    if (FIRST_PERSON.has(w)) first++;
    const isSales = SALES_WORDS.has(w);
    if (isSales) sales++;
    if ((pos[i] === 'VERB' || pos[i] === 'AUX') && !isSales && pos[i] !== 'AUX') verbs++;
    if (pos[i] === 'PROPN' || pos[i] === 'DET' || pos[i] === 'ADP' || pos[i] === 'CCONJ' || /^[A-Z]/.test(raw[i]!)) titleLike++;
  }
  for (const re of SALES_PHRASES) if (re.test(text)) sales++;
  return {
    words,
    links,
    first_person: first,
    verbs,
    sentiment: Number(doc.out(its.sentiment)) || 0,
    exclamations: exclaim,
    questions: question,
    sales_imperatives: sales,
    title_link_share: counted > 0 ? titleLike / counted : 0,
  };
}

/** Classifies a post text by transparent rules over its features. */
export function classifyFraming(text: string | null | undefined): FramingResult {
  return classifyMemo(text ?? '');
}

/** Texts repeat (reposts, templates, the report and the model reading the same posts): each is classified once. */
const classifyMemo = memoizeString((text: string) => classifyText(text), 100_000);

function classifyText(text: string): FramingResult {
  const f = framingFeatures(text);
  if (f.links === 0) {
    // a post without a link in its text may still carry one in the data (a link column): judge the words alone
    if (f.words === 0) return { framing: 'bare_link', reason: 'no words', features: f };
  }
  if (f.words === 0) return { framing: 'bare_link', reason: 'nothing but the link', features: f };
  if (f.first_person > 0) return { framing: 'endorsement', reason: 'tells a first-person experience', features: f };
  if (f.verbs >= 1 && f.words >= 6 && f.title_link_share < 0.6) return { framing: 'endorsement', reason: 'tells a story (verbs, not a label)', features: f };
  if (f.title_link_share >= 0.6 || f.sales_imperatives > 0) {
    return { framing: 'pitch', reason: f.sales_imperatives > 0 ? 'a title with a sales line' : 'a title and a link', features: f };
  }
  return { framing: 'other', reason: 'none of the patterns', features: f };
}
