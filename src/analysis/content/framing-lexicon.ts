/**
 * The words framing reads (docs/methods.md, "Framing: the taxonomy and its cues"): phrases that name the author's own
 * thing or ask for the author's benefit, seller's copy, a told experience, a recommendation, a reason. Each cue has a
 * name, which the classifier puts in its reason, and a pattern over the post's normalised text (lower case, straight
 * apostrophes, every link replaced by the word `<link>`). A few Spanish, German and French cues let clear posts in
 * those languages be read; anything else in them is `other` ("language not supported").
 */

/** A named pattern. */
export interface Cue {
  name: string;
  re: RegExp;
}

/** Things a person makes, sells or raises money for: "my new book", "our app", "my Sponsors profile". */
const OWN_THINGS =
  'books?|novel|memoir|zine|cookbook|album|ep|single|track|song|podcast|episode|channel|videos?|stream|newsletter|substack|' +
  'blog|blog post|post|article|essay|course|workshop|masterclass|class|talk|slides|app|library|lib|package|plugin|extension|' +
  'tools?|projects?|repo|repository|startup|company|product|shop|store|etsy|merch|prints|art|artwork|portfolio|site|website|' +
  'page|profile|patreon|ko-fi|kickstarter|campaign|fundraiser|gofundme|crowdfunding|collective|sponsors|sponsorships|' +
  'open source work|work|game|documentary|film|comic|webcomic|chapter|launch|release|debut|goal|target|birthday wish|' +
  'wishlist|tip jar|nonprofit|charity|yarn|ceramics|stickers|commissions|thing|series|ebook|guide|cheat sheet|templates?'; // (a reader's "my work laptop" stays out: see OWN_BLOCK)

/** Words between "my/our" and the thing that say it is not the author's product ("my favourite podcast", "my whole team"). */
export const OWN_BLOCK = new Set([
  'favourite', 'favorite', 'fave', 'go-to', 'whole', 'client', 'clients', "kid's", "kids'", "daughter's", "son's", "friend's",
  "friends'", "sister's", "brother's", "mom's", "mum's", "dad's", "partner's", "wife's", "husband's", 'reading', 'current',
]);

/** "my/our" + up to two words + a thing (checked against OWN_BLOCK); "book club", "bookshelf" are not books. */
export const OWN_THING = new RegExp(`\\b(my|our)\\s+((?:[^\\s.!?;:]+\\s+){0,2}?)(${OWN_THINGS})\\b(?!\\s+(club|shelf|case|store|shop)\\b)`, 'g');

/** Asks for the author's own benefit or announces the author's own thing. */
export const SELF_ASKS: readonly Cue[] = [
  { name: 'support me', re: /\b(sponsor|support|back|fund|help|hire|join|tip|pay|follow)\s+(me|us)\b/ },
  { name: 'support my', re: /\b(sponsor|support|back|fund|pledge to|donate to)\s+(my|our)\b/ },
  { name: 'buy me a coffee', re: /\bbuy me a coffee\b/ },
  { name: 'buy my', re: /\b(buy|order|get|grab|pre-?order|read|watch|listen to|try|download)\s+my\b/ },
  { name: 'I am raising', re: /\b(i'm|i am|we're|we are|i've been|we've been)\s+(now\s+)?(raising|fundraising|selling|launching|releasing|hiring|crowdfunding|looking for (sponsors|backers|patrons|supporters))\b/ },
  { name: 'I am running for', re: /\b(i'm|i am|we're|we are)\s+(running|walking|cycling|swimming|riding|climbing|shaving)\b[^.!?]*\bfor\b/ },
  { name: 'open for work', re: /\b(i'm|i am|we're|we are)\s+(now\s+)?open (to|for) (freelance|work|commissions|clients|bookings|new projects)\b|\bcommissions (are )?open\b|\bhire me\b|\bdm me\b/ },
  { name: 'we are live', re: /\b(we're|we are|i'm|i am)\s+(now\s+)?(live|launching|back|open)\b/ },
  {
    name: 'joined a funding platform',
    re: /(?:\b(?:i|we)(?:'ve| have| just| now|'m| am|'re| are){0,2}\s+|(?:^|[.!?]\s+)(?:just\s+)?)(joined|on|opened|launched|started|now on)\s+(github sponsors|patreon|ko-fi|open collective|kickstarter|indiegogo|sponsorships)\b/,
  },
  { name: 'we are hiring', re: /\b(we're|we are|is|are|i'm|i am) (now )?hiring\b/ },
  { name: 'you can support me', re: /\b(you can|you could|feel free to)\s+(support|sponsor|chip in|tip|donate|back|help)\b(?!\s+(@|her\b|him\b|them\b))|\bif you (like|enjoy|value) what (i|we) do\b|\bpay[- ]what[- ]you[- ](want|can)\b|\b(slots|spots|seats) (are )?(open|left|available)\b/ },
  { name: 'upvote', re: /\bupvote\b|\bwould mean (the world|a lot|so much)\b/ },
  { name: 'my birthday', re: /\b(for|on)\s+my\s+(\S+\s+)?birthday\b|\binstead of (gifts|presents)\b/ },
  { name: 'sponsors thanks', re: /\b(thanks?|thank you|grateful)\b[^.!?]*\b(sponsoring|backing|supporting|pledging|donating to|subscribing to)\s+(me|us|my|our)\b/ },
  { name: 'thanks to my backers', re: /\b(my|our)\s+(\S+\s+)?(sponsors|backers|patrons|supporters|subscribers|donors|members)\b/ },
  { name: 'our goal', re: /\b(we|i)\s+(just\s+)?(hit|reached|passed|made)\s+(our|my|the)\s+(\S+\s+)?(goal|target)\b/ },
  { name: 'new episode', re: /\bnew (\S+ )?(episode|chapter|video|post|issue|drop|release)\b\s*[:!.—–-]/ },
  { name: 'giveaway', re: /\bgiveaway\b/ },
  { name: 'feedback welcome', re: /\b(would love|let me know|tell us)\b[^.!?]*\b(feedback|what you think)\b/ },
];

/** The author made or launched something (read only when the post carries a link: a destination to go to). */
export const CREATIONS: readonly Cue[] = [
  {
    name: 'I made',
    re: /(?:^|[.!?:]\s+|\b(?:i|we)(?:'ve| have)?\s+)(?:just\s+|finally\s+|now\s+)?(made|built|wrote|launched|released|shipped|published|created|designed|recorded|dropped|opened|made|restocked)\s+(?!a (donation|gift|pledge|contribution|purchase)\b)(a|an|my|our|some|v?\d)/,
  },
  { name: 'the thing I made', re: /\b(the|this|a|my)\s+([^\s.!?,;:]+\s+){0,3}(i|we)(?:'ve| have)?\s+(just\s+)?(made|built|wrote|designed|recorded|put together)\b|\b(i|we)(?:'ve| have)?\s+(just\s+)?put together\b|\bhit publish\b/ },
  { name: 'announcing', re: /\b(excited|happy|proud|thrilled) to (announce|share|launch|release|introduce)\b|\b(i|we) (just )?launched\b|\bintroducing\b|\blaunch(ed|es|ing)? (today|tomorrow)\b|\blaunch day\b|\bcoming (soon|this|next)\b/ },
];

/** Seller's copy: offers, availability, calls to buy — whoever writes them. */
export const SALES: readonly Cue[] = [
  { name: 'buy', re: /\b(buy|order|pre-?order|shop|purchase|pre-?save|download)\b(?! (it|one) for\b)/ },
  { name: 'out now', re: /\b(out now|now out|out today|available (now|today|in|wherever|on|at|from|until)|now available|(is|are) (now )?(out|live|available|up|open|on sale|back)\b|in stock|on sale|for sale|sale\b)/ },
  { name: 'a discount', re: /\d+\s*% off\b|\b(use|with|enter|apply) (the )?(promo |discount )?code\b|\b(promo|discount|coupon) code\b|\bcode [a-z]*\d+[a-z0-9]*\b|\bbecome a (member|patron|sponsor|subscriber|supporter)\b|\bfree shipping\b|\bdiscount\b|\blaunch price\b|\bearly bird\b|\blimited (edition|seats|time|stock)?\b/ },
  { name: 'get yours', re: /\b(get|grab|claim|reserve|secure) (yours|your copy|your seat|your spot|your ticket|tickets|it now|one now)\b|\bbefore (they're|they are) gone\b|\bonly \d+ (left|seats|made|slots)\b/ },
  { name: 'sign up', re: /\b(sign up|signup|register|subscribe|join \d|tickets|rsvp)\b/ },
  { name: 'link in bio', re: /\blink in (bio|profile)\b|\blink below\b/ },
  { name: 'try it free', re: /\btry (it )?(free|today|now)\b|\bfree (trial|to try)\b|\bget started\b|\b\d+ (months?|days?) free\b/ },
  { name: 'hours left', re: /\b\d+ (hours?|days?) (left|to go)\b|\blast (call|chance|day)\b|\bends (tonight|today|friday|sunday|soon)\b|\buntil midnight\b/ },
];

/** A told experience: first person (or an elided subject) with what they did with the thing, or what it did to them. */
export const EXPERIENCES: readonly Cue[] = [
  {
    name: 'I did',
    re: /\b(i|we|my \S+|our \S+)(?:'ve|'d| have| has| had| just| finally| really| also| still| now| been| already| don't| do not| never| can't| cannot| usually| honestly){0,3}\s+(read|reading|finished|tried|use|used|using|love|loved|loving|bought|backed|gave|give|given|donated|sponsor|sponsored|sponsoring|switched|learned|learnt|watched|listened|picked|went|cried|called|laughed|talked|recommend|recommended|found|kept|keep|stayed|rewrote|deleted|ordered|wore|worn|wear|subscribed|chipped|pledged|discovered|sent|printed|printing|enjoyed|devoured|missed|underlined|stopped|cooked|listen|came|raised|changed|haven't|got|tried|saw|started|installed|depend|rely|owe|needed)\b/,
  },
  { name: 'did (subject elided)', re: /(?:^|[.!?]\s+|\n)(?:just |finally |also )?(took|read|reading|using|watching|finished|tried|bought|backed|gave|donated|sponsored|sponsoring|supporting|backing|switched|learned|watched|listened|went|picked|chipped|signed up|halfway through|started sponsoring|just sponsored|been using|been reading|went in)\b/ },
  { name: 'it did to me', re: /\b(amaze[sd]?|moved|inspired|helped|helps|saved|saves|taught|teaches|changed|blew|blows|hooked|got|gets|made|makes|left|kept|fixed|improved)\s+(me|us|my|our)\b|\bchanged how (i|we)\b|\b(thanks|thank) (me|us) daily\b/ },
  { name: 'my review', re: /\bmy review\b|\bnot sponsored\b|\b(zero|no) regrets\b|\bworth every (cent|penny|\S+)\b|\bon repeat\b|\bstuck in my head\b|\bcan't stop (thinking|listening|reading|playing)\b|\bgame[- ]changer\b|\bconverted\b|\bbest \S+ (i've|i have) (ever )?(spent|read|seen|found|had)\b/ },
];

/** A recommendation to the reader, about something the author points at. */
export const RECOMMENDATIONS: readonly Cue[] = [
  { name: 'recommend', re: /\b(highly|strongly|really|totally|definitely)?\s*recommend(ed|ing|s)?\b|\bcan't recommend\b/ },
  { name: 'worth it', re: /\bworth (it|reading|watching|a read|a listen|a look|your time|the (hype|wait|money|price))\b|\bmust[- ](read|watch|listen|have)\b/ },
  { name: 'you should', re: /\b(you|everyone|anyone)\b[^.!?]*\b(should|will|'ll|must)\s+(read|watch|listen|try|own|love|like|enjoy|follow|sponsor|support|check)\b|\bif you('re| are)? (not following|use|like|liked|love|care|depend|rely|enjoy|work)\b/ },
  { name: 'go and read', re: /(?:^|[.!?]\s+|\n|\b(please|go|do yourself a favou?r( and)?)\s+)(read|watch|listen|try|check out|follow|sponsor|support|back|give|donate|start with)\b(?! (me|us|my|our)\b)/ },
  { name: 'best I know', re: /\b(best|clearest|most useful|only|favou?rite)\b[^.!?]*\b(i've|i have|i know|i've found|i found|i kept|i use|i did|i've done|i ever|i bought|i own|right now|this year|i've seen|i've installed)\b|\b(my|our) (favou?rite|go-to)\b/ },
  { name: 'shout-out', re: /\bshout-?out to\b|\bhats off to\b|\bkudos to\b/ },
  { name: 'made by someone', re: /\bmade by\b|\bbuilt by\b|\bwritten by\b|\bby @\w+/ },
];

/** A reason given. */
export const REASONS: readonly Cue[] = [
  { name: 'because', re: /\bbecause\b|\bsince (i|we)\b|\bafter (reading|watching|using|seeing|trying|listening|hearing)\b|\bthat's why\b|\bwhich is why\b|\bthe reason\b/ },
];

/** Languages whose cues clout reads besides English. */
export type OtherLanguage = 'es' | 'de' | 'fr';

/** Cues of the other languages: own thing / self-ask (pitch), seller's copy (pitch), recommendation (endorsement). */
export const OTHER_LANGUAGE_CUES: Record<OtherLanguage, { own: RegExp; sales: RegExp; endorse: RegExp }> = {
  es: {
    own: /\b(mi|mis|nuestro|nuestra|nuestros)\s+(nuevo\s+|nueva\s+|primer\s+|primera\s+)?(libro|novela|disco|álbum|album|tienda|curso|proyecto|canal|podcast|campaña|perfil|patreon)\b|ap[oó]y(a|e)me|ap[oó]yanos|ay[uú]dame|ay[uú]danos/,
    sales: /\bya (está |esta )?disponible\b|\ba la venta\b|\bdescuento\b|\bc[oó]mpra(lo|la)?\b|\boferta\b|\breserva(lo|la)?\b/,
    endorse: /\b(lo|la|te lo|os lo) recomiendo\b|\brecomiendo\b|\bme (cambi[oó]|encant[oó]|encanta|ayud[oó])\b|\bacabo de (leer|terminar|ver)\b/,
  },
  de: {
    own: /\b(mein|meine|meinen|unser|unsere)\s+(neues\s+|neue\s+|neuer\s+|erstes\s+|erste\s+)?(buch|album|kurs|projekt|shop|laden|podcast|kanal|kampagne|profil)\b|unterst[uü]tzt? (mich|uns)\b/,
    sales: /\berh[aä]ltlich\b|\bjetzt (bestellen|kaufen|vorbestellen)\b|\brabatt\b|\bim angebot\b|\bgutschein\b/,
    endorse: /\bempfehl|\bempfehle\b|\bhat mir (sehr |so )?(geholfen|gefallen)\b|\bbegeistert\b/,
  },
  fr: {
    own: /\b(mon|ma|mes|notre|nos)\s+(nouveau\s+|nouvelle\s+|premier\s+|première\s+)?(livre|roman|album|boutique|cours|projet|podcast|chaîne|chaine|campagne|profil)\b|soutenez-(moi|nous)|aidez-(moi|nous)/,
    sales: /\bdisponible\b|\bcommandez\b|\bachetez\b|\ben vente\b|\bpromo\b|\br[ée]duction\b|\bpr[ée]commande\b/,
    endorse: /\bje (te |vous |le |la |les )?recommande\b|\brecommande vivement\b|\bm'a (chang[ée]|aid[ée]|beaucoup)\b|\bj'ai (ador[ée]|lu|aim[ée])\b|\bà lire absolument\b/,
  },
};
