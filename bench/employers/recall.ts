/**
 * Recall and precision of employer duplicate detection on generated Swedish employers.
 *
 *   npx ts-node --transpile-only bench/employers/recall.ts [--bases 2000] [--positives 1000]
 *     [--negatives 1000] [--seed 20260101] [--limit 50] [--examples 8]
 *
 * Mimics what the service does on create/import: blocking through `employer_name_key`
 * (an in-memory inverted index over `blockingKeys`, plus a lookup by org number), then
 * `rankCandidates` on the blocked candidates. Prints its definitions with the figures.
 */

import { performance } from 'node:perf_hooks';
import {
  DuplicateLevel,
  EmployerLike,
  SIMILAR_NAME_THRESHOLD,
  blockingKeys,
  normalizeEmployerName,
  normalizeUnitName,
  rankCandidates,
} from '../../src/employers/duplicates';
import {
  GeneratedEmployer,
  NonDuplicateKind,
  VariantKind,
  createRng,
  generateEmployers,
  generateNonDuplicates,
  generateVariants,
  selfTest,
} from './name-generator';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`--${name} must be a non-negative number`);
  }
  return value;
}

const BASES = arg('bases', 2000);
const POSITIVES = arg('positives', 1000);
const NEGATIVES = arg('negatives', 1000);
const SEED = arg('seed', 20260101);
// The DB step: SELECT employer_id, key FROM employer_name_key WHERE key IN (…), each key
// weighted by rarity log(1 + employers / rows with that key), summed per employer, top LIMIT;
// employers with the same org_number always come first.
const BLOCK_LIMIT = arg('limit', 50);
const EXAMPLES = arg('examples', 8);

const VARIANT_KINDS: VariantKind[] = [
  'typo',
  'legal_form',
  'word_order',
  'missing_unit',
  'case_punct',
];
const LEVEL_RANK: Record<DuplicateLevel, number> = { possible: 1, likely: 2, certain: 3 };

interface Query {
  employer: EmployerLike;
  /** Index of the base it duplicates; null for a hard negative. */
  truth: number | null;
  kind: VariantKind | NonDuplicateKind;
}

interface Outcome {
  query: Query;
  unionSize: number;
  blocked: number[];
  flagged: Array<{ base: number; level: DuplicateLevel; score: number }>;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`.padStart(6);
}

function ratio(num: number, den: number): number {
  return den === 0 ? NaN : num / den;
}

function main(): void {
  console.log(selfTest());
  const t0 = performance.now();
  const bases = generateEmployers(BASES, SEED);
  const rng = createRng(SEED + 1);

  // Index, as the employer_name_key table and the org_number column would hold it.
  const keyIndex = new Map<string, number[]>();
  const orgIndex = new Map<string, number[]>();
  let keyRows = 0;
  let maxKeys = 0;
  bases.forEach((b, i) => {
    const keys = blockingKeys(normalizeEmployerName(b.name), normalizeUnitName(b.unitName));
    keyRows += keys.length;
    maxKeys = Math.max(maxKeys, keys.length);
    for (const k of keys) {
      const list = keyIndex.get(k) ?? [];
      list.push(i);
      keyIndex.set(k, list);
    }
    const list = orgIndex.get(b.orgNumber) ?? [];
    list.push(i);
    orgIndex.set(b.orgNumber, list);
  });

  // Queries: true duplicates, the kinds in turn, each from a random base that allows it.
  const queries: Query[] = [];
  for (let q = 0; q < POSITIVES; q += 1) {
    const kind = VARIANT_KINDS[q % VARIANT_KINDS.length];
    for (let attempt = 0; attempt < 1000; attempt += 1) {
      const baseIndex = rng.int(bases.length);
      const variant = generateVariants(bases[baseIndex], rng).find((v) => v.kind === kind);
      if (variant !== undefined) {
        queries.push({ employer: variant, truth: baseIndex, kind });
        break;
      }
    }
  }
  for (const n of generateNonDuplicates(bases, NEGATIVES, rng)) {
    queries.push({ employer: n, truth: null, kind: n.kind });
  }

  const tQueries = performance.now();
  const outcomes: Outcome[] = queries.map((query) => {
    const shared = new Map<number, number>();
    const { name, unitName } = query.employer;
    for (const key of blockingKeys(normalizeEmployerName(name), normalizeUnitName(unitName))) {
      const postings = keyIndex.get(key) ?? [];
      const weight = Math.log(1 + bases.length / Math.max(1, postings.length));
      for (const i of postings) {
        shared.set(i, (shared.get(i) ?? 0) + weight);
      }
    }
    const org = query.employer.orgNumber;
    if (org) {
      for (const i of orgIndex.get(org) ?? []) {
        shared.set(i, (shared.get(i) ?? 0) + 1000);
      }
    }
    const blocked = [...shared.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, BLOCK_LIMIT)
      .map(([i]) => i);
    const candidates = blocked.map((i) => ({ ...bases[i], id: String(i) }));
    const flagged = rankCandidates(query.employer, candidates).map(({ existing, match }) => ({
      base: Number(existing.id),
      level: match.level,
      score: match.score,
    }));
    return { query, unionSize: shared.size, blocked, flagged };
  });
  const tDone = performance.now();

  // ------------------------------------------------------------------ report
  const positives = outcomes.filter((o) => o.query.truth !== null);
  const negatives = outcomes.filter((o) => o.query.truth === null);
  const foundAt = (o: Outcome, min: number) =>
    o.flagged.some((f) => f.base === o.query.truth && LEVEL_RANK[f.level] >= min);
  const anyAt = (o: Outcome, min: number) => o.flagged.some((f) => LEVEL_RANK[f.level] >= min);

  console.log('');
  console.log('Definitions');
  console.log('  positive query  a labelled variant of one base employer (a true duplicate)');
  console.log('  negative query  a hard look-alike that is no base employer');
  console.log("  found@L         the variant's own base is flagged at level L or higher");
  console.log('  recall@L        found@L / positive queries');
  console.log(
    '  precision@L     TP / (TP + FP), per query: TP = positives found@L; FP = negatives',
  );
  console.log('                  that flag any base at ≥ L, plus positives that flag something at');
  console.log('                  ≥ L but not their own base');
  console.log('  pair precision  flagged (query, base) pairs at ≥ L that are the true pair, over');
  console.log('                  all flagged pairs (a dropped unit rightly flags every department');
  console.log('                  of the municipality, which counts against this figure)');
  console.log(
    '  blocking        candidates = employers sharing ≥ 1 blocking key or the org number,',
  );
  console.log(
    '                  ranked by the summed rarity of shared keys, log(1 + N / rows with',
  );
  console.log(
    `                  that key), same org number first; the top ${BLOCK_LIMIT} are scored`,
  );
  console.log('');
  console.log(
    `Data: ${bases.length} base employers (seed ${SEED}), ${positives.length} positive and ` +
      `${negatives.length} negative queries; name threshold ${SIMILAR_NAME_THRESHOLD}`,
  );
  console.log(
    `Index: ${keyIndex.size} distinct keys, ${(keyRows / bases.length).toFixed(2)} keys per employer ` +
      `(max ${maxKeys}), largest posting list ${Math.max(...[...keyIndex.values()].map((l) => l.length))}`,
  );
  const avgUnion = outcomes.reduce((s, o) => s + o.unionSize, 0) / outcomes.length;
  const avgBlocked = outcomes.reduce((s, o) => s + o.blocked.length, 0) / outcomes.length;
  const avgFlagged = outcomes.reduce((s, o) => s + o.flagged.length, 0) / outcomes.length;
  console.log(
    `Candidates per query: ${avgUnion.toFixed(1)} share a key (of ${bases.length}), ` +
      `${avgBlocked.toFixed(1)} after the limit, ${avgFlagged.toFixed(2)} flagged`,
  );
  console.log(
    `Time: ${((tDone - tQueries) / outcomes.length).toFixed(3)} ms per query (blocking + scoring), ` +
      `${(tQueries - t0).toFixed(0)} ms to generate and index`,
  );

  console.log('');
  console.log('Positives by variant kind        n   blocked  ≥possible  ≥likely');
  for (const kind of VARIANT_KINDS) {
    const group = positives.filter((o) => o.query.kind === kind);
    const blocked = group.filter((o) => o.blocked.includes(o.query.truth!)).length;
    console.log(
      `  ${kind.padEnd(28)} ${String(group.length).padStart(4)}  ${pct(ratio(blocked, group.length))}` +
        `    ${pct(ratio(group.filter((o) => foundAt(o, 1)).length, group.length))}` +
        `   ${pct(ratio(group.filter((o) => foundAt(o, 2)).length, group.length))}`,
    );
  }
  console.log('');
  console.log('Negatives by kind (share flagging anything)   n  ≥possible  ≥likely');
  const negativeKinds = [...new Set(negatives.map((o) => o.query.kind))].sort();
  for (const kind of negativeKinds) {
    const group = negatives.filter((o) => o.query.kind === kind);
    console.log(
      `  ${kind.padEnd(42)} ${String(group.length).padStart(4)}  ${pct(ratio(group.filter((o) => anyAt(o, 1)).length, group.length))}` +
        `   ${pct(ratio(group.filter((o) => anyAt(o, 2)).length, group.length))}`,
    );
  }

  console.log('');
  console.log('Overall                 recall  precision  pair precision');
  const summary: Record<string, { recall: number; precision: number }> = {};
  for (const [label, min] of [
    ['likely or possible', 1],
    ['likely (or certain)', 2],
  ] as const) {
    const tp = positives.filter((o) => foundAt(o, min)).length;
    const fpNeg = negatives.filter((o) => anyAt(o, min)).length;
    const fpPos = positives.filter((o) => anyAt(o, min) && !foundAt(o, min)).length;
    const pairs = outcomes.flatMap((o) =>
      o.flagged.filter((f) => LEVEL_RANK[f.level] >= min).map((f) => f.base === o.query.truth),
    );
    const recall = ratio(tp, positives.length);
    const precision = ratio(tp, tp + fpNeg + fpPos);
    summary[label] = { recall, precision };
    console.log(
      `  ${label.padEnd(20)} ${pct(recall)}     ${pct(precision)}          ${pct(ratio(pairs.filter(Boolean).length, pairs.length))}`,
    );
  }
  const nameOnly = positives.filter((o) => !o.query.employer.orgNumber);
  console.log(
    `  recall (≥ possible) of the ${nameOnly.length} positives without an org number, ` +
      `found by name alone: ${pct(ratio(nameOnly.filter((o) => foundAt(o, 1)).length, nameOnly.length)).trim()}`,
  );
  const missed = positives.filter((o) => !foundAt(o, 1));
  const notBlocked = missed.filter((o) => !o.blocked.includes(o.query.truth!)).length;
  console.log(
    `  missed positives: ${missed.length} (${notBlocked} lost in blocking, ` +
      `${missed.length - notBlocked} scored below the threshold)`,
  );
  const falseFlags = negatives.flatMap((o) => (anyAt(o, 1) ? [o.flagged[0]] : []));
  const byReason = new Map<string, number>();
  for (const o of negatives.filter((n) => anyAt(n, 1))) {
    const f = rankCandidates(o.query.employer, [bases[o.flagged[0].base]])[0].match;
    const label = `${f.reason}${f.reason === 'same_normalized_name' ? (o.query.employer.municipality === bases[o.flagged[0].base].municipality ? ', same municipality' : ', other municipality') : ''}`;
    byReason.set(label, (byReason.get(label) ?? 0) + 1);
  }
  console.log(
    `  flagged negatives: ${falseFlags.length}` +
      (byReason.size > 0
        ? ` (${[...byReason.entries()].map(([r, n]) => `${n} ${r}`).join('; ')})`
        : ''),
  );
  const top1 = positives.filter(
    (o) => o.flagged.length > 0 && o.flagged[0].base === o.query.truth,
  ).length;
  console.log(`  own base ranked first among flagged: ${pct(ratio(top1, positives.length))}`);

  if (EXAMPLES > 0) {
    const show = (e: EmployerLike) =>
      `"${e.name}"${e.unitName ? ` / "${e.unitName}"` : ''} [${e.municipality ?? '-'}${e.orgNumber ? ` ${e.orgNumber}` : ''}]`;
    console.log('');
    console.log('Missed positives (≥ possible), first few:');
    for (const o of positives.filter((p) => !foundAt(p, 1)).slice(0, EXAMPLES)) {
      const base = bases[o.query.truth!] as GeneratedEmployer;
      const blocked = o.blocked.includes(o.query.truth!) ? 'blocked' : 'NOT BLOCKED';
      console.log(
        `  ${o.query.kind.padEnd(12)} ${show(o.query.employer)}  vs base ${show(base)}  (${blocked})`,
      );
    }
    console.log('False positives (negatives flagged ≥ possible), first few:');
    for (const o of negatives.filter((n) => anyAt(n, 1)).slice(0, EXAMPLES)) {
      const f = o.flagged[0];
      console.log(
        `  ${o.query.kind.padEnd(18)} ${show(o.query.employer)}  ~ ${show(bases[f.base])}  ${f.level} ${f.score}`,
      );
    }
  }

  // Threshold sweep: the same blocked candidates, re-scored with other name thresholds.
  console.log('');
  console.log('Name threshold sweep (likely or possible)   recall  precision');
  for (const nameThreshold of [0.84, 0.86, 0.88, 0.9, 0.92, 0.94]) {
    let tp = 0;
    let fp = 0;
    for (const o of outcomes) {
      const candidates = o.blocked.map((i) => ({ ...bases[i], id: String(i) }));
      const flagged = rankCandidates(o.query.employer, candidates, { nameThreshold });
      const own = flagged.some((f) => Number(f.existing.id) === o.query.truth);
      if (own) {
        tp += 1;
      } else if (flagged.length > 0) {
        fp += 1;
      }
    }
    const marker = nameThreshold === SIMILAR_NAME_THRESHOLD ? '  ← SIMILAR_NAME_THRESHOLD' : '';
    console.log(
      `  ${nameThreshold.toFixed(2).padEnd(40)} ${pct(ratio(tp, positives.length))}     ${pct(ratio(tp, tp + fp))}${marker}`,
    );
  }

  const overall = summary['likely or possible'];
  const ok = overall.recall >= 0.95 && overall.precision >= 0.9;
  console.log('');
  console.log(
    `Target recall ≥ 95% at precision ≥ 90% (likely or possible): ${ok ? 'MET' : 'NOT MET'} ` +
      `(recall ${pct(overall.recall).trim()}, precision ${pct(overall.precision).trim()})`,
  );
  process.exitCode = ok ? 0 : 1;
}

main();
