/**
 * Duplicate detection for the shared employer register (DESIGN §3 rule 1). Pure functions,
 * no Nest imports: normalise names, derive blocking keys for the `employer_name_key` table,
 * score a candidate against existing employers.
 *
 * Normalisation rules (applied until the result stops changing, so the function is idempotent):
 * - lower-case; Unicode NFKD with combining marks dropped (å→a, ä→a, ö→o, é→e, ü→u), plus
 *   letters NFKD does not split (ø→o, æ→ae, ß→ss, ł→l, đ→d, þ→th, œ→oe);
 * - `&` → `och`; apostrophes dropped (McDonald's → mcdonalds); any other character that is
 *   not a letter or digit becomes a space; whitespace collapsed;
 * - runs of two or more one-letter tokens are joined (`K. A.` → `ka`, `S:t` → `st`), so
 *   initials written with or without dots compare equal;
 * - legal-form words are removed wherever they stand as whole tokens (see LEGAL_FORM_WORDS).
 *   Only legal forms go: meaningful words such as `förening` alone, `brf`, `kooperativ`,
 *   `& söner`, `sverige` stay, because they tell employers apart. `Stiftelse(n)` is the legal
 *   form of a foundation and goes. The long one-word forms (Aktiebolag, Handelsbolag, …) are
 *   also recognised with up to two typos ("Aktieebolag"); the short ones only exactly ("ABB"
 *   is a company). If removing legal forms would leave nothing (a firm named "AB"), the
 *   tokens are kept;
 * - municipalities and regions get one canonical form each, in their official word order:
 *   `Kommunen Eslöv`, `Kommunen i Eslöv`, `Eslöv kommun`, `Eslövs kommun` → `eslov kommun`;
 *   `<X> stad` for the municipalities officially called so (`Malmö stad`, `Göteborgs Stad`,
 *   see STAD_MUNICIPALITIES) becomes `malmo kommun` too — only for those, because folding
 *   makes the trade word "Städ" read "stad" ("Eslöv Städ AB" is a cleaning firm);
 *   `Region Skåne`, `Regionen Skåne`, `Skånes region` → `region skane`.
 *   The place next to `kommun`/`region` loses trailing `s` (genitive). Place names that end
 *   in s themselves (`Borås` → `bora kommun`) lose it as well; nobody writes a second genitive
 *   s after them, so every spelling still meets the same form.
 *
 * Tokenising on spaces rather than using `\b` matters: JavaScript's `\b` is ASCII-only and
 * misreads word boundaries next to å/ä/ö (DESIGN §7).
 */

/** Similarity (see `similarity`) at or above which two different names count as similar. */
export const SIMILAR_NAME_THRESHOLD = 0.88;

/** Unit names are short and generic ("…förvaltningen"): demand more before calling them similar. */
export const SIMILAR_UNIT_THRESHOLD = 0.92;

/** Legal-form words and phrases removed by `normalizeEmployerName`, as people write them. */
export const LEGAL_FORM_WORDS: readonly string[] = [
  'AB',
  'Aktiebolag',
  'Aktiebolaget',
  '(publ)',
  'HB',
  'Handelsbolag',
  'Handelsbolaget',
  'KB',
  'Kommanditbolag',
  'Kommanditbolaget',
  'Ek. för.',
  'Ek för',
  'Ek förening',
  'Ekonomisk förening',
  'Ekonomiska föreningen',
  'EF',
  'Ideell förening',
  'Ideella föreningen',
  'Enskild firma',
  'Enskilda firman',
  'Stiftelse',
  'Stiftelsen',
  'i likvidation',
  'i konkurs',
  // Foreign forms seen on Swedish branches and subsidiaries.
  'NUF',
  'Ltd',
  'Limited',
  'GmbH',
  'Inc',
  'Oy',
  'Oyj',
  'ApS',
];

export type DuplicateLevel = 'certain' | 'likely' | 'possible';

export type DuplicateReason =
  'same_org_number_and_unit' | 'same_org_number' | 'same_normalized_name' | 'similar_name';

export interface DuplicateMatch {
  level: DuplicateLevel;
  /** In [0, 1]; higher is more certain. */
  score: number;
  reason: DuplicateReason;
}

export interface DuplicateOptions {
  /** Name similarity needed for a `similar_name` match; default SIMILAR_NAME_THRESHOLD. */
  nameThreshold?: number;
}

export interface EmployerLike {
  id?: string;
  name: string;
  /** 10 digits (already normalised); null or absent when unknown. */
  orgNumber?: string | null;
  unitName?: string | null;
  /** Kommunkod (4 digits); null or absent when unknown. */
  municipality?: string | null;
}

// ---------------------------------------------------------------------------
// Normalisation

// Letters that NFKD leaves whole.
const EXTRA_FOLDS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const EXTRA_FOLD_RE = new RegExp(`[${Object.keys(EXTRA_FOLDS).join('')}]`, 'g');
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’‘`´ʼ]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

function foldCharacters(input: string): string {
  return input
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(EXTRA_FOLD_RE, (ch) => EXTRA_FOLDS[ch] ?? ch);
}

function tokenize(folded: string): string[] {
  return folded
    .replace(/&/g, ' och ')
    .replace(APOSTROPHES, '')
    .replace(NOT_WORD, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0);
}

const SINGLE_LETTER = /^\p{L}$/u;

/** `k a andersson` → `ka andersson`; a lone letter (the preposition `i`) is left alone. */
function joinInitials(tokens: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 2) {
      out.push(run.join(''));
    } else {
      out.push(...run);
    }
    run = [];
  };
  for (const token of tokens) {
    if (SINGLE_LETTER.test(token)) {
      run.push(token);
    } else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let prevPrev = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  for (let i = 1; i <= la; i += 1) {
    const cur = new Array<number>(lb + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= lb; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cur[j] = Math.min(cur[j], prevPrev[j - 2] + 1);
      }
    }
    prevPrev = prev;
    prev = cur;
  }
  return prev[lb];
}

// Legal forms as token sequences, longest first so `ek for` wins over a shorter match.
const LEGAL_FORM_SEQUENCES: string[][] = LEGAL_FORM_WORDS.map((w) =>
  joinInitials(tokenize(foldCharacters(w))),
).sort((a, b) => b.length - a.length);

// Long one-word legal forms are also recognised with a typo or two ("Aktieebolag",
// "Handelsbolg"); nothing else in a firm's name sits that close to them. Short ones (AB, HB)
// are matched exactly: "ABB" is a company.
const FUZZY_LEGAL_FORMS = LEGAL_FORM_SEQUENCES.filter(
  (seq) => seq.length === 1 && seq[0].length >= 8,
).map((seq) => seq[0]);

/** Bounded memo for pure string functions: imports normalise the same words over and over. */
function memo<T>(fn: (s: string) => T, max = 50_000): (s: string) => T {
  const cache = new Map<string, T>();
  return (s: string) => {
    const hit = cache.get(s);
    if (hit !== undefined) {
      return hit;
    }
    const value = fn(s);
    if (cache.size >= max) {
      cache.clear();
    }
    cache.set(s, value);
    return value;
  };
}

const isMisspeltLegalForm = memo(
  (token: string): boolean =>
    token.length >= 7 &&
    FUZZY_LEGAL_FORMS.some(
      (form) => Math.abs(form.length - token.length) <= 2 && editDistance(form, token) <= 2,
    ),
);

function removeLegalForms(tokens: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  outer: while (i < tokens.length) {
    for (const seq of LEGAL_FORM_SEQUENCES) {
      if (seq.length > 0 && seq.every((t, k) => tokens[i + k] === t)) {
        i += seq.length;
        continue outer;
      }
    }
    if (isMisspeltLegalForm(tokens[i])) {
      i += 1;
      continue;
    }
    out.push(tokens[i]);
    i += 1;
  }
  // A firm literally called "AB HB" keeps its name rather than becoming empty.
  return out.length > 0 ? out : tokens;
}

// Municipalities whose official name is "… stad". Only these: folding makes "Städ" (a
// cleaning firm, "Lindgren Städ") read "stad", so a general rule would turn firms into towns.
const STAD_MUNICIPALITIES = new Set([
  'bora',
  'goteborg',
  'helsingborg',
  'landskrona',
  'lidingo',
  'malmo',
  'molndal',
  'solna',
  'stockholm',
  'sundbyberg',
  'trollhattan',
  'vaxholm',
  'vastera',
]);

// "Göteborts Stad", "Helsingborsg stad": a typo in the place must not cost the canonical form.
function isStadMunicipality(place: string): boolean {
  if (STAD_MUNICIPALITIES.has(place)) {
    return true;
  }
  for (const name of STAD_MUNICIPALITIES) {
    if (
      name.length >= 6 &&
      Math.abs(name.length - place.length) <= 1 &&
      editDistance(name, place) <= 1
    ) {
      return true;
    }
  }
  return false;
}

function stripGenitive(token: string): string {
  const stripped = token.replace(/s+$/, '');
  return stripped.length >= 2 ? stripped : token;
}

/** Canonical `<place> kommun` / `region <place>` (see the rules at the top of the file). */
function canonicalizePublicBodies(input: string[]): string[] {
  let tokens = input.map((t) => (t === 'kommunen' ? 'kommun' : t === 'regionen' ? 'region' : t));
  for (let i = 1; i < tokens.length; i += 1) {
    if (tokens[i] === 'stad' && isStadMunicipality(stripGenitive(tokens[i - 1]))) {
      tokens[i] = 'kommun';
    }
  }
  if (tokens[0] === 'kommun' && tokens.length >= 2) {
    // `kommunen i eslov` → `eslov kommun`
    const rest = tokens.slice(1);
    if (rest[0] === 'i' && rest.length >= 2) {
      rest.shift();
    }
    if (rest[0] !== 'kommun') {
      tokens = [rest[0], 'kommun', ...rest.slice(1)];
    }
  }
  const last = tokens.length - 1;
  if (last >= 1 && tokens[last] === 'region' && tokens[last - 1] !== 'region') {
    // `skanes region` → `region skane`, the official word order (Region Skåne)
    tokens = [...tokens.slice(0, last - 1), 'region', tokens[last - 1]];
  }
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i] === 'kommun' && i >= 1 && tokens[i - 1] !== 'kommun') {
      tokens[i - 1] = stripGenitive(tokens[i - 1]);
    }
    if (tokens[i] === 'region' && i + 1 < tokens.length && tokens[i + 1] !== 'region') {
      tokens[i + 1] = stripGenitive(tokens[i + 1]);
    }
  }
  return tokens;
}

function normalizeOnce(input: string): string {
  let tokens = tokenize(foldCharacters(input));
  tokens = joinInitials(tokens);
  tokens = removeLegalForms(tokens);
  tokens = canonicalizePublicBodies(tokens);
  return tokens.join(' ');
}

// Each pass only removes or shortens, so a fixed point comes within a few passes; the cap
// is a guard against a Unicode corner case, and the property tests check idempotence.
const MAX_PASSES = 8;

function toFixedPoint(input: string): string {
  let current = normalizeOnce(input);
  for (let pass = 1; pass < MAX_PASSES; pass += 1) {
    const next = normalizeOnce(current);
    if (next === current) {
      break;
    }
    current = next;
  }
  return current;
}

/** Comparison form of an employer name (stored as `employer.normalized_name`). Idempotent. */
export function normalizeEmployerName(name: string): string {
  if (typeof name !== 'string') {
    return '';
  }
  return normalizeMemo(name);
}

const normalizeMemo = memo(toFixedPoint);

/**
 * Comparison form of a unit name, '' when there is none. Used in the uniqueness key
 * (org_number, normalized unit_name). Same rules as names, so "Kulturförvaltningen" and
 * "KULTURFORVALTNINGEN" are one unit; "förvaltningen"/"kontoret" are kept (they are the
 * difference between a department and its board).
 */
export function normalizeUnitName(unit: string | null | undefined): string {
  if (typeof unit !== 'string') {
    return '';
  }
  return toFixedPoint(unit);
}

// ---------------------------------------------------------------------------
// Blocking keys

// Too common to find anything by on their own; never turned into keys unless a name has
// nothing else.
const BLOCKING_STOP_WORDS = new Set([
  'och',
  'i',
  'pa',
  'av',
  'for',
  'med',
  'till',
  'vid',
  'den',
  'det',
  'de',
  'en',
  'ett',
  'the',
  'of',
  'and',
  'co',
  'sverige',
  'svenska',
  'svensk',
  'sweden',
  'swedish',
  'nordic',
  'norden',
  'scandinavia',
  'skandinavien',
  'group',
  'gruppen',
  'kommun',
  'region',
  'stad',
  'soner',
]);

const MAX_KEYED_TOKENS = 3;
const MAX_KEYED_UNIT_TOKENS = 2;
const VOWELS = /[aeiouy]/g;

function collapseDoubles(token: string): string {
  return token.replace(/(.)\1+/gu, '$1');
}

/** First letter plus the consonants after it, doubles collapsed: vowel slips don't matter. */
function consonantSkeleton(token: string): string {
  const collapsed = collapseDoubles(token);
  return collapseDoubles(collapsed[0] + collapsed.slice(1).replace(VOWELS, ''));
}

function sortChars(s: string): string {
  return [...s].sort().join('');
}

// 32-bit FNV-1a, base 36: keeps the whole-name key short enough for an indexed VARCHAR.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * Keys for candidate lookup (`employer_name_key(employer_id, key)`, indexed on key): at most 8
 * for the name and 4 more for a unit, each at most 9 characters. Input is a normalised name
 * and, optionally, a normalised unit name; store the keys of both, and query with both.
 *
 * - `n:<hash>` of the sorted token set: equal names, word-order swaps, and everything
 *   normalisation already absorbs (case, diacritics, punctuation, legal forms);
 * - for the three most informative tokens (longest first; stop words such as `och`, `i`,
 *   `sverige`, `kommun` skipped):
 *   - `p:` its first four letters, doubled letters collapsed: survives any typo after the
 *     fourth letter and doubled/undoubled letters anywhere;
 *   - `c:` the first four letters of its consonant skeleton, sorted: survives vowel slips
 *     anywhere, doubled letters, and swapped consonants near the start;
 * - `s:` the last four letters, only when a single word carries the name (`lundhem`), which
 *   otherwise has nothing left after a typo near its start;
 * - `m:` the place of a municipality or region (`eslov kommun`, `region skane`), so "Eslövs
 *   kommun, Kulturförvaltningen" typed as one name still meets the municipality ahead of the
 *   hundred firms called "Eslöv …";
 * - for a unit: `u:<hash>` of its word set, and `p:`/`c:` keys of its longest words — the same
 *   keys names use, so "Eslövs kommun Kulturförvaltningen" typed as a name meets the unit.
 *
 * A typo in one token leaves the other tokens' keys intact, so multi-word names survive any
 * single typo; one-word names lose only typos that change a consonant near the start.
 * The lookup fetches the (employer_id, key) rows for the query's keys (one indexed query),
 * weighs each key by its rarity, log(1 + employers / rows with that key), sums per employer,
 * and scores only the top 50 or so: `p:bygg` alone is common, `n:…` almost unique.
 * bench/employers/recall.ts does exactly this and prints recall and candidate counts.
 */
export function blockingKeys(normalizedName: string, normalizedUnit = ''): string[] {
  const keys = new Set<string>();
  const tokens = uniqueTokens(normalizedName);
  if (tokens.length > 0) {
    keys.add(`n:${fnv1a([...tokens].sort().join(' '))}`);
    const informative = informativeTokens(tokens);
    for (const token of informative.slice(0, MAX_KEYED_TOKENS)) {
      keys.add(prefixKey(token));
      keys.add(skeletonKey(token));
    }
    // One word carries the whole name ("Lundhem", "Göteborgs Stad"): a typo near its start
    // would break both keys above, so its ending is a key too.
    if (informative.length === 1 && informative[0].length >= 5) {
      keys.add(`s:${collapseDoubles(informative[0]).slice(-4)}`);
    }
    // The municipality or region itself, apart from every firm named after the place.
    const at = tokens.findIndex((t) => t === 'kommun' || t === 'region');
    if (at !== -1) {
      const place = tokens[tokens[at] === 'kommun' ? at - 1 : at + 1];
      if (place !== undefined && place !== 'kommun' && place !== 'region') {
        keys.add(`m:${collapseDoubles(place).slice(0, 4)}`);
      }
    }
  }
  // Forty departments share "eslov kommun": the unit tells them apart. Its words use the
  // same p:/c: keys as names, so a unit typed into the name field still meets them.
  const unitTokens = uniqueTokens(normalizedUnit);
  if (unitTokens.length > 0) {
    keys.add(`u:${fnv1a([...unitTokens].sort().join(' '))}`);
    const informative = informativeTokens(unitTokens);
    informative.slice(0, MAX_KEYED_UNIT_TOKENS).forEach((token) => keys.add(prefixKey(token)));
    keys.add(skeletonKey(informative[0]));
  }
  return [...keys];
}

function uniqueTokens(normalized: string): string[] {
  return [...new Set(normalized.split(' ').filter((t) => t.length > 0))];
}

/** Tokens worth a key, most informative (longest) first; all tokens if none qualifies. */
function informativeTokens(tokens: string[]): string[] {
  const informative = tokens.filter((t) => t.length >= 2 && !BLOCKING_STOP_WORDS.has(t));
  return (informative.length > 0 ? informative : [...tokens]).sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
}

function prefixKey(token: string): string {
  return `p:${collapseDoubles(token).slice(0, 4)}`;
}

function skeletonKey(token: string): string {
  return `c:${sortChars(consonantSkeleton(token).slice(0, 4))}`;
}

// ---------------------------------------------------------------------------
// Similarity

/** Jaro-Winkler (prefix scale 0.1, prefix up to 4). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) {
    return 0;
  }
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const aMatched = new Array<boolean>(la).fill(false);
  const bMatched = new Array<boolean>(lb).fill(false);
  let matches = 0;
  for (let i = 0; i < la; i += 1) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    for (let j = from; j <= to; j += 1) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) {
    return 0;
  }
  let halfTranspositions = 0;
  let j = 0;
  for (let i = 0; i < la; i += 1) {
    if (aMatched[i]) {
      while (!bMatched[j]) {
        j += 1;
      }
      if (a[i] !== b[j]) {
        halfTranspositions += 1;
      }
      j += 1;
    }
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - halfTranspositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) {
    prefix += 1;
  }
  return jaro + prefix * 0.1 * (1 - jaro);
}

// Function words carry almost no identity.
const FUNCTION_WORDS = new Set([
  'och',
  'i',
  'pa',
  'av',
  'for',
  'med',
  'till',
  'vid',
  'den',
  'det',
  'de',
  'en',
  'ett',
  'the',
  'of',
  'and',
]);
const MAX_TOKEN_WEIGHT = 10;
// Below this, two tokens are different words (karlsson/nilsson ≈ 0.78), not a typo.
const TOKEN_MATCH_FLOOR = 0.84;
const HAS_DIGIT = /\p{N}/u;

function tokenWeight(token: string): number {
  return FUNCTION_WORDS.has(token) ? 1 : Math.min(token.length, MAX_TOKEN_WEIGHT);
}

// Edits a typo may plausibly make in a word of this length. Jaro-Winkler alone is generous
// with insertions (persson/pettersson ≈ 0.92), so a pair must also be within this distance.
function allowedEdits(length: number): number {
  return length <= 5 ? 1 : length <= 10 ? 2 : 3;
}

function tokenSimilarity(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  // "Bygg 1" and "Bygg 2" are different firms: numbers match exactly or not at all.
  if (HAS_DIGIT.test(a) || HAS_DIGIT.test(b)) {
    return 0;
  }
  const longest = Math.max(a.length, b.length);
  if (Math.abs(a.length - b.length) > allowedEdits(longest)) {
    return 0;
  }
  const s = jaroWinkler(a, b);
  if (s < TOKEN_MATCH_FLOOR || editDistance(a, b) > allowedEdits(longest)) {
    return 0;
  }
  return s;
}

/**
 * Joins adjacent tokens of `x` whose concatenation is (a typo away from) a token of `y`, so
 * "ek bygg" meets "ekbygg" (compounds written apart or together).
 */
function joinCompounds(x: string[], y: string[]): string[] {
  const other = new Set(y);
  // One typo allowed in the compound, no more: "eslov el" must not become "eslovhem".
  const isCompoundOfY = (joined: string) =>
    other.has(joined) ||
    y.some(
      (t) =>
        t.length >= 5 &&
        Math.abs(t.length - joined.length) <= 1 &&
        tokenSimilarity(joined, t) > 0 &&
        editDistance(joined, t) <= 1,
    );
  const out: string[] = [];
  for (let i = 0; i < x.length; i += 1) {
    if (
      i + 1 < x.length &&
      !other.has(x[i]) &&
      !other.has(x[i + 1]) &&
      isCompoundOfY(x[i] + x[i + 1])
    ) {
      out.push(x[i] + x[i + 1]);
      i += 1;
    } else {
      out.push(x[i]);
    }
  }
  return out;
}

/**
 * Weighted soft token-set score: tokens are paired greedily by similarity (one-to-one, best
 * pairs first), each pair contributes its similarity times the weights of both tokens,
 * divided by the weight of all tokens on both sides.
 */
function softTokenScore(x: string[], y: string[]): number {
  const pairs: Array<{ i: number; j: number; s: number }> = [];
  for (let i = 0; i < x.length; i += 1) {
    for (let j = 0; j < y.length; j += 1) {
      const s = tokenSimilarity(x[i], y[j]);
      if (s > 0) {
        pairs.push({ i, j, s });
      }
    }
  }
  pairs.sort((p, q) => q.s - p.s || p.i - q.i || p.j - q.j);
  const usedX = new Set<number>();
  const usedY = new Set<number>();
  let matched = 0;
  for (const { i, j, s } of pairs) {
    if (!usedX.has(i) && !usedY.has(j)) {
      usedX.add(i);
      usedY.add(j);
      matched += s * (tokenWeight(x[i]) + tokenWeight(y[j]));
    }
  }
  let total = 0;
  for (const t of x) {
    total += tokenWeight(t);
  }
  for (const t of y) {
    total += tokenWeight(t);
  }
  return total === 0 ? 0 : matched / total;
}

/**
 * Similarity of two normalised names in [0, 1]; 1 for equal names.
 *
 * A weighted soft token-set score: words are paired one-to-one (best pairs first), a pair
 * scores its Jaro-Winkler similarity if it is plausibly a typo (JW ≥ 0.84 and within 1–3
 * edits, by length) and 0 otherwise; each word weighs its length (capped at 10; `och`, `i`
 * weigh 1); the score is matched weight over the weight of both names.
 * Why this and not the usual candidates:
 * - word order does not matter ("Bygg Karlsson" = "Karlsson Bygg");
 * - a typo in one word costs little, but a *different* word — another surname, another
 *   place — costs its whole weight, which is what tells "Karlsson Bygg i Eslöv" from
 *   "Nilsson Bygg i Eslöv";
 * - Jaro-Winkler on the whole string is not used: its prefix bonus rates "ica kvantum eslov"
 *   and "ica kvantum malmo" (two shops) about 0.9; trigram Dice on the whole string rates
 *   "karlsson bygg i eslov" / "nilsson bygg i eslov" 0.84 for the same reason (shared tail);
 * - compounds written apart ("ek bygg" / "ekbygg") are joined before pairing.
 * The arguments are put in a fixed order first, so the result is exactly symmetric.
 */
export function similarity(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  const [x, y] = a < b ? [a, b] : [b, a];
  let xs = x.split(' ').filter((t) => t.length > 0);
  let ys = y.split(' ').filter((t) => t.length > 0);
  if (xs.length === 0 || ys.length === 0) {
    return 0;
  }
  const xJoined = joinCompounds(xs, ys);
  ys = joinCompounds(ys, xs);
  xs = xJoined;
  return Math.min(1, Math.max(0, softTokenScore(xs, ys)));
}

// ---------------------------------------------------------------------------
// Scoring

interface PreparedEmployer {
  name: string;
  unit: string;
  org: string | null;
  orgValid: boolean;
  municipality: string | null;
}

/** Luhn check over the 10 digits of a Swedish organisation number. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function cleanOrgNumber(org: string | null | undefined): string | null {
  if (typeof org !== 'string') {
    return null;
  }
  let digits = org.replace(/\D/g, '');
  if (digits.length === 12 && digits.startsWith('16')) {
    digits = digits.slice(2);
  }
  return digits.length === 10 ? digits : null;
}

function prepare(e: EmployerLike): PreparedEmployer {
  const org = cleanOrgNumber(e.orgNumber);
  const municipality = typeof e.municipality === 'string' ? e.municipality.trim() : '';
  return {
    name: normalizeEmployerName(e.name),
    unit: normalizeUnitName(e.unitName),
    org,
    orgValid: org !== null && isLuhnValid(org),
    municipality: municipality.length > 0 ? municipality : null,
  };
}

const LEVEL_RANK: Record<DuplicateLevel, number> = { possible: 1, likely: 2, certain: 3 };
const LEVEL_BY_RANK: Array<DuplicateLevel | null> = [null, 'possible', 'likely', 'certain'];

function lower(level: DuplicateLevel): DuplicateLevel | null {
  return LEVEL_BY_RANK[LEVEL_RANK[level] - 1];
}

type UnitRelation = 'same' | 'similar' | 'one_missing' | 'different';

function unitRelation(a: string, b: string): { relation: UnitRelation; sim: number } {
  if (a === b) {
    return { relation: 'same', sim: 1 };
  }
  if (a === '' || b === '') {
    return { relation: 'one_missing', sim: 0 };
  }
  const sim = similarity(a, b);
  return { relation: sim >= SIMILAR_UNIT_THRESHOLD ? 'similar' : 'different', sim };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * When exactly one side has a unit, the other may have typed it into the name field
 * ("Eslövs kommun, Kulturförvaltningen"): compare against name + unit then.
 */
function unitInName(
  a: PreparedEmployer,
  b: PreparedEmployer,
  threshold: number,
): [string, string] | null {
  const [bare, full] = a.unit === '' ? [a, b] : [b, a];
  const combined = normalizeEmployerName(`${full.name} ${full.unit}`);
  if (bare.name === combined || similarity(bare.name, combined) >= threshold) {
    return [bare.name, combined];
  }
  return null;
}

function scorePrepared(
  a: PreparedEmployer,
  b: PreparedEmployer,
  threshold: number,
): DuplicateMatch | null {
  const unit = unitRelation(a.unit, b.unit);
  let unitRel = unit.relation;
  let nameA = a.name;
  let nameB = b.name;
  if (unitRel === 'one_missing') {
    const names = unitInName(a, b, threshold);
    if (names !== null) {
      [nameA, nameB] = names;
      unitRel = 'same';
    }
  }

  if (a.org !== null && a.org === b.org) {
    // One legal entity; the unit decides (municipal departments share the number).
    if (unit.relation === 'same') {
      return { level: 'certain', score: 1, reason: 'same_org_number_and_unit' };
    }
    if (unit.relation === 'similar') {
      return { level: 'likely', score: round(Math.min(0.99, unit.sim)), reason: 'same_org_number' };
    }
    if (unit.relation === 'one_missing') {
      return unitRel === 'same'
        ? { level: 'likely', score: 0.95, reason: 'same_org_number' }
        : { level: 'possible', score: 0.9, reason: 'same_org_number' };
    }
    return null;
  }

  // Two different departments are two employers, whatever the names say.
  if (unitRel === 'different') {
    return null;
  }

  const sameMunicipality =
    a.municipality === null || b.municipality === null ? null : a.municipality === b.municipality;

  let level: DuplicateLevel | null;
  let score: number;
  let reason: DuplicateReason;
  if (nameA !== '' && nameA === nameB) {
    reason = 'same_normalized_name';
    if (sameMunicipality === true) {
      level = 'likely';
      score = 0.95;
    } else if (sameMunicipality === null) {
      level = 'likely';
      score = 0.9;
    } else {
      level = 'possible';
      score = 0.8;
    }
  } else {
    const sim = similarity(nameA, nameB);
    if (sim < threshold || sameMunicipality === false) {
      return null;
    }
    reason = 'similar_name';
    level = 'possible';
    score = sim;
  }

  if (unitRel === 'one_missing') {
    // "Eslövs kommun" without a unit may or may not mean this department.
    level = level === 'likely' ? 'possible' : level;
    score *= 0.95;
  } else if (unitRel === 'similar') {
    score *= unit.sim;
  }

  // Both numbers valid and different: two legal entities that share a name (or a renamed
  // firm that re-registered). Worth a look at most, never a block.
  if (a.orgValid && b.orgValid) {
    level = lower(level);
    score *= 0.9;
  }

  return level === null ? null : { level, score: round(score), reason };
}

/**
 * How likely `candidate` and `existing` are the same employer, or null when they are not
 * worth showing. Symmetric: swapping the arguments gives the same level, score and reason.
 *
 * - same org number, same unit → certain (1);
 * - same org number, very similar units → likely; one side without unit → possible (0.9);
 *   different units (two departments of one municipality) → null;
 * - otherwise, units that differ → null; equal normalised names → likely (0.95) in the same
 *   municipality, likely (0.9) when a municipality is unknown, possible (0.8) in another one;
 *   names with similarity ≥ SIMILAR_NAME_THRESHOLD in the same or an unknown municipality →
 *   possible (score = similarity);
 * - one side without a unit lowers likely to possible; two valid, different org numbers lower
 *   the level one step (likely → possible, possible → null).
 */
export function scoreDuplicate(
  candidate: EmployerLike,
  existing: EmployerLike,
  options: DuplicateOptions = {},
): DuplicateMatch | null {
  return scorePrepared(prepare(candidate), prepare(existing), nameThreshold(options));
}

function nameThreshold(options: DuplicateOptions): number {
  return options.nameThreshold ?? SIMILAR_NAME_THRESHOLD;
}

/**
 * Existing employers that may duplicate `candidate`, best first: by level (certain, likely,
 * possible), then by score, so a likely match is never listed below a possible one.
 */
export function rankCandidates<T extends EmployerLike>(
  candidate: EmployerLike,
  existing: readonly T[],
  options: DuplicateOptions = {},
): Array<{ existing: T; match: DuplicateMatch }> {
  const prepared = prepare(candidate);
  const threshold = nameThreshold(options);
  const out: Array<{ existing: T; match: DuplicateMatch }> = [];
  for (const e of existing) {
    const match = scorePrepared(prepared, prepare(e), threshold);
    if (match !== null) {
      out.push({ existing: e, match });
    }
  }
  return out.sort(
    (p, q) =>
      LEVEL_RANK[q.match.level] - LEVEL_RANK[p.match.level] || q.match.score - p.match.score,
  );
}
