import fc from 'fast-check';
import {
  DuplicateMatch,
  EmployerLike,
  LEGAL_FORM_WORDS,
  SIMILAR_NAME_THRESHOLD,
  blockingKeys,
  isLuhnValid,
  normalizeEmployerName,
  normalizeUnitName,
  rankCandidates,
  scoreDuplicate,
  similarity,
} from './duplicates';

const norm = normalizeEmployerName;

// Luhn-valid organisation numbers.
const ESLOV_KOMMUN = '2120000977';
const VOLVO = '5560125790';
const OTHER_AB = '5566778899';
const ANOTHER_AB = '5591234561';
const ESLOV = '1285';
const MALMO = '1280';

describe('normalizeEmployerName', () => {
  it.each([
    ['Volvo Personvagnar AB', 'Volvo Personvagnar Aktiebolag'],
    ['Café Åkerlund', 'Cafe Akerlund AB'],
    ['Eslövs kommun', 'Eslöv kommun'],
    ['Eslövs kommun', 'Kommunen Eslöv'],
    ['Eslövs kommun', 'Kommunen i Eslöv'],
    ['Eslövs kommun', 'ESLÖVS KOMMUN'],
    ['Malmö stad', 'Malmö kommun'],
    ['Göteborgs Stad', 'Göteborgs kommun'],
    ['Region Skåne', 'Regionen Skåne'],
    ['Region Skåne', 'Skånes region'],
    ['H&M Hennes & Mauritz AB (publ)', 'H och M Hennes och Mauritz'],
    ['Yalla Trappan Ek. för.', 'Yalla Trappan ekonomisk förening'],
    ['Yalla Trappan Ek. för.', 'Yalla Trappan ek.för.'],
    ['Karlsson Bygg HB', 'Karlsson Bygg Handelsbolag'],
    ['Karlsson Bygg KB', 'Karlsson Bygg'],
    ['Karlsson Bygg AB i likvidation', 'Karlsson Bygg'],
    ['Stiftelsen Skansen', 'Skansen'],
    ['AB Volvo', 'Volvo AB'],
    ['K.A. Andersson Bygg', 'KA Andersson Bygg'],
    ["McDonald's", 'McDonalds'],
    ['Karlsson   Bygg,  AB ', 'karlsson bygg'],
    ['Müller Søn Ærø', 'Muller Son Aero'],
    ['Persson Tak Aktieebolag', 'Persson Tak AB'],
  ])('%s and %s normalise the same', (a, b) => {
    expect(norm(a)).toBe(norm(b));
  });

  it('gives the canonical forms documented for municipalities and regions', () => {
    expect(norm('Eslövs kommun')).toBe('eslov kommun');
    expect(norm('Malmö stad')).toBe('malmo kommun');
    expect(norm('Region Skåne')).toBe('region skane');
    expect(norm('Volvo Personvagnar AB')).toBe('volvo personvagnar');
  });

  it('keeps words that only look like legal forms or towns', () => {
    expect(norm('ABB AB')).toBe('abb');
    expect(norm('Abbe Bygg')).toBe('abbe bygg');
    expect(norm('Ek Bygg HB')).toBe('ek bygg');
    expect(norm('Åbergs Måleri AB')).toBe('abergs maleri');
    expect(norm('ABÅ Bygg')).toBe('aba bygg');
    expect(norm('Brf Solen')).toBe('brf solen');
    expect(norm('Andersson & Söner AB')).toBe('andersson och soner');
  });

  it('reads "Städ" (cleaning) as a trade, not as a town', () => {
    expect(norm('Eslöv Städ AB')).toBe('eslov stad');
    expect(norm('Lindgren Städ')).toBe('lindgren stad');
    expect(norm('Eslöv Städ AB')).not.toBe(norm('Eslövs kommun'));
  });

  it('keeps a name made only of legal-form words', () => {
    expect(norm('AB')).toBe('ab');
    expect(norm('HB AB')).toBe('hb ab');
  });

  it('removes every listed legal form after a name', () => {
    for (const form of LEGAL_FORM_WORDS) {
      expect(norm(`Karlsson Bygg ${form}`)).toBe('karlsson bygg');
    }
  });

  it('returns an empty string for empty or non-string input', () => {
    expect(norm('')).toBe('');
    expect(norm('  .,- ')).toBe('');
    expect(norm(undefined as unknown as string)).toBe('');
  });
});

describe('normalizeUnitName', () => {
  it('folds like names and gives an empty string for no unit', () => {
    expect(normalizeUnitName('Kulturförvaltningen')).toBe('kulturforvaltningen');
    expect(normalizeUnitName('Barn- och utbildningsförvaltningen')).toBe(
      'barn och utbildningsforvaltningen',
    );
    expect(normalizeUnitName(null)).toBe('');
    expect(normalizeUnitName(undefined)).toBe('');
    expect(normalizeUnitName('   ')).toBe('');
  });

  it('tells departments apart', () => {
    expect(normalizeUnitName('Kulturförvaltningen')).not.toBe(
      normalizeUnitName('Fritidsförvaltningen'),
    );
  });
});

describe('blockingKeys', () => {
  const keys = (name: string) => blockingKeys(norm(name));
  const shares = (a: string, b: string) => keys(a).some((k) => keys(b).includes(k));

  it('returns few, short keys and none for an empty name', () => {
    expect(blockingKeys('')).toEqual([]);
    for (const name of [
      'Barn- och utbildningsförvaltningen Eslövs kommun',
      'Karlsson Bygg & Måleri i Eslöv AB',
      'Volvo',
    ]) {
      const k = keys(name);
      expect(k.length).toBeGreaterThan(0);
      expect(k.length).toBeLessThanOrEqual(8);
      expect(new Set(k).size).toBe(k.length);
      for (const key of k) {
        expect(key.length).toBeLessThanOrEqual(10);
      }
    }
  });

  it('adds at most four keys for a unit, which tell departments apart', () => {
    const name = norm('Eslövs kommun');
    const culture = blockingKeys(name, normalizeUnitName('Kulturförvaltningen'));
    const leisure = blockingKeys(name, normalizeUnitName('Fritidsförvaltningen'));
    expect(culture.length).toBeLessThanOrEqual(blockingKeys(name).length + 4);
    expect(culture.filter((k) => !leisure.includes(k)).length).toBeGreaterThan(0);
    // The unit typed into the name field meets the unit's keys.
    const typed = keys('Eslövs kommun, Kulturförvaltningen');
    expect(culture.filter((k) => typed.includes(k)).length).toBeGreaterThanOrEqual(3);
  });

  it('skips stop words', () => {
    const k = keys('Volvo Sverige AB');
    expect(k).not.toContain('p:sver');
    expect(keys('Eslövs kommun')).not.toContain('p:komu');
  });

  it.each([
    ['Karlsson Bygg i Eslöv AB', 'Karlson Bygg i Eslöv'],
    ['Karlsson Bygg i Eslöv AB', 'Bygg Karlsson Eslöv'],
    ['Lundhem AB', 'Lubdhem'],
    ['Eslövs kommun', 'Elsövs kommun'],
    ['Eslövs kommun', 'Eslöv kommun, Kulturförvaltningen'],
    ['Volvo Personvagnar AB', 'Volvo Personvagnar Aktiebolag'],
  ])('%s and %s share a key', (a, b) => {
    expect(shares(a, b)).toBe(true);
  });
});

describe('similarity', () => {
  const sim = (a: string, b: string) => similarity(norm(a), norm(b));

  it('is 1 for equal names and for the same words in another order', () => {
    expect(sim('Karlsson Bygg', 'Karlsson Bygg')).toBe(1);
    expect(sim('Karlsson Bygg', 'Bygg Karlsson')).toBe(1);
    expect(sim('Ek Bygg', 'Ekbygg')).toBe(1);
  });

  it('rates typos above the threshold', () => {
    expect(sim('Karlsson Bygg i Eslöv', 'Karslson Bygg i Eslöv')).toBeGreaterThanOrEqual(
      SIMILAR_NAME_THRESHOLD,
    );
    expect(sim('ICA Kvantum Eslöv', 'ICA Kvantum Elsöv')).toBeGreaterThanOrEqual(
      SIMILAR_NAME_THRESHOLD,
    );
  });

  it('rates another surname, place or department below the threshold', () => {
    expect(sim('Karlsson Bygg i Eslöv', 'Nilsson Bygg i Eslöv')).toBeLessThan(
      SIMILAR_NAME_THRESHOLD,
    );
    expect(sim('ICA Kvantum Eslöv', 'ICA Kvantum Malmö')).toBeLessThan(SIMILAR_NAME_THRESHOLD);
    expect(sim('Persson Bygg', 'Pettersson Bygg')).toBeLessThan(SIMILAR_NAME_THRESHOLD);
    expect(sim('Kulturförvaltningen', 'Fritidsförvaltningen')).toBeLessThan(0.5);
  });

  it('is 0 when one side is empty', () => {
    expect(similarity('', 'volvo')).toBe(0);
  });
});

describe('isLuhnValid', () => {
  it('accepts published numbers and rejects a changed digit', () => {
    expect(isLuhnValid(VOLVO)).toBe(true);
    expect(isLuhnValid(ESLOV_KOMMUN)).toBe(true);
    expect(isLuhnValid('5560125791')).toBe(false);
  });
});

describe('scoreDuplicate', () => {
  const eslovDept = (unitName: string | null, orgNumber: string | null = ESLOV_KOMMUN) => ({
    name: 'Eslövs kommun',
    unitName,
    orgNumber,
    municipality: ESLOV,
  });

  it('is certain for the same org number and unit', () => {
    expect(
      scoreDuplicate(eslovDept('Kulturförvaltningen'), {
        ...eslovDept('KULTURFÖRVALTNINGEN'),
        name: 'Kommunen Eslöv',
      }),
    ).toEqual({ level: 'certain', score: 1, reason: 'same_org_number_and_unit' });
    expect(
      scoreDuplicate({ name: 'Volvo', orgNumber: VOLVO }, { name: 'AB Volvo', orgNumber: VOLVO }),
    ).toEqual({
      level: 'certain',
      score: 1,
      reason: 'same_org_number_and_unit',
    });
  });

  it('keeps two departments of one municipality apart', () => {
    expect(
      scoreDuplicate(eslovDept('Kulturförvaltningen'), eslovDept('Fritidsförvaltningen')),
    ).toBeNull();
    expect(
      scoreDuplicate(
        eslovDept('Kulturförvaltningen', null),
        eslovDept('Fritidsförvaltningen', null),
      ),
    ).toBeNull();
  });

  it('calls the same number with a misspelt unit likely', () => {
    const match = scoreDuplicate(eslovDept('Kulturförvaltningen'), eslovDept('Kulturförvaltningn'));
    expect(match).toMatchObject({ level: 'likely', reason: 'same_org_number' });
  });

  it('calls the same number with a unit on one side only possible', () => {
    expect(scoreDuplicate(eslovDept(null), eslovDept('Kulturförvaltningen'))).toEqual({
      level: 'possible',
      score: 0.9,
      reason: 'same_org_number',
    });
  });

  it('recognises a unit typed into the name field', () => {
    const match = scoreDuplicate(
      { name: 'Eslövs kommun, Kulturförvaltningen', municipality: ESLOV },
      eslovDept('Kulturförvaltningen'),
    );
    expect(match).toMatchObject({ level: 'likely', reason: 'same_normalized_name' });
  });

  it('grades equal names by municipality', () => {
    const existing = { name: 'Karlsson Bygg AB', municipality: ESLOV };
    expect(
      scoreDuplicate({ name: 'Karlsson Bygg Aktiebolag', municipality: ESLOV }, existing),
    ).toEqual({
      level: 'likely',
      score: 0.95,
      reason: 'same_normalized_name',
    });
    expect(scoreDuplicate({ name: 'KARLSSON BYGG' }, existing)).toMatchObject({
      level: 'likely',
      reason: 'same_normalized_name',
    });
    expect(scoreDuplicate({ name: 'Karlsson Bygg', municipality: MALMO }, existing)).toMatchObject({
      level: 'possible',
      reason: 'same_normalized_name',
    });
  });

  it('keeps two legal entities with one name at possible at most', () => {
    const a = { name: 'Karlsson Bygg AB', municipality: ESLOV, orgNumber: OTHER_AB };
    expect(scoreDuplicate({ ...a, orgNumber: ANOTHER_AB }, a)).toMatchObject({ level: 'possible' });
    expect(scoreDuplicate({ ...a, orgNumber: ANOTHER_AB, municipality: MALMO }, a)).toBeNull();
    // An invalid number is no evidence of a second legal entity.
    expect(scoreDuplicate({ ...a, orgNumber: '5566778890' }, a)).toMatchObject({ level: 'likely' });
  });

  it('flags a similar name in the same or an unknown municipality as possible only', () => {
    const existing = { name: 'Karlsson Bygg i Eslöv AB', municipality: ESLOV };
    const match = scoreDuplicate({ name: 'Karlson Bygg i Eslöv', municipality: ESLOV }, existing);
    expect(match).toMatchObject({ level: 'possible', reason: 'similar_name' });
    expect(match!.score).toBeGreaterThanOrEqual(SIMILAR_NAME_THRESHOLD);
    expect(scoreDuplicate({ name: 'Karlson Bygg i Eslöv' }, existing)).toMatchObject({
      level: 'possible',
    });
    expect(
      scoreDuplicate({ name: 'Karlson Bygg i Eslöv', municipality: MALMO }, existing),
    ).toBeNull();
  });

  it('does not call two shops of one chain likely', () => {
    const match = scoreDuplicate(
      { name: 'ICA Kvantum Eslöv', municipality: ESLOV },
      { name: 'ICA Kvantum Malmö', municipality: ESLOV },
    );
    expect(match?.level).not.toBe('likely');
    expect(match).toBeNull();
  });

  it('honours a custom name threshold', () => {
    const a = { name: 'Karlsson Bygg i Eslöv AB', municipality: ESLOV };
    const b = { name: 'Karlson Bygg i Eslöv', municipality: ESLOV };
    expect(scoreDuplicate(a, b, { nameThreshold: 0.999 })).toBeNull();
  });
});

describe('rankCandidates', () => {
  it('drops non-matches and lists the strongest first', () => {
    const candidate: EmployerLike = {
      name: 'Eslövs kommun',
      unitName: 'Kulturförvaltningen',
      orgNumber: ESLOV_KOMMUN,
      municipality: ESLOV,
    };
    const existing: EmployerLike[] = [
      {
        id: 'other-dept',
        name: 'Eslövs kommun',
        unitName: 'Fritidsförvaltningen',
        orgNumber: ESLOV_KOMMUN,
        municipality: ESLOV,
      },
      { id: 'no-unit', name: 'Eslöv kommun', unitName: null, orgNumber: null, municipality: ESLOV },
      {
        id: 'same',
        name: 'Kommunen Eslöv',
        unitName: 'Kulturförvaltningen',
        orgNumber: ESLOV_KOMMUN,
        municipality: ESLOV,
      },
      {
        id: 'typo',
        name: 'Eslövs kommun',
        unitName: 'Kulturförvaltnigen',
        orgNumber: null,
        municipality: ESLOV,
      },
      { id: 'firm', name: 'Eslöv Städ AB', orgNumber: VOLVO, municipality: ESLOV },
    ];
    const ranked = rankCandidates(candidate, existing);
    expect(ranked.map((r) => r.existing.id)).toEqual(['same', 'typo', 'no-unit']);
    expect(ranked.map((r) => r.match.level)).toEqual(['certain', 'likely', 'possible']);
  });

  it('returns an empty list for no candidates', () => {
    expect(rankCandidates({ name: 'Volvo' }, [])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Properties

// Every word that is part of a legal form: random names must not build one by accident.
const RESERVED = new Set(
  LEGAL_FORM_WORDS.flatMap((w) =>
    w
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .split(/[^a-z]+/)
      .filter((t) => t.length > 0),
  ),
);
const VOCABULARY = [
  'Karlsson',
  'Åberg',
  'Öberg',
  'Björk',
  'Bygg',
  'Måleri',
  'Städ',
  'Café',
  'Eslöv',
  'Malmö',
  'Lysekil',
  'Höör',
  'Kvantum',
  'ICA',
  'Söner',
  'och',
  'i',
  'kommun',
  'stad',
  'region',
  'Skåne',
  'förening',
  'Sverige',
];
const word = fc.oneof(
  fc.constantFrom(...VOCABULARY),
  fc
    .stringMatching(/^[a-zåäöéü]{2,9}$/)
    .filter((w) => !RESERVED.has(norm(w)) && norm(w).length >= 2 && !RESERVED.has(w)),
);
const plainName = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));

type Decoration = (s: string) => string;
const decorations: Decoration[] = [
  (s) => `${s} AB`,
  (s) => `${s} Aktiebolag`,
  (s) => `AB ${s}`,
  (s) => `${s}, AB`,
  (s) => s.toUpperCase(),
  (s) => s.toLowerCase(),
  (s) => `  ${s.replace(/ /g, '   ')}\t`,
  (s) => s.replace(/ AB$/, ''),
  (s) => s.replace(/ Aktiebolag$/, ' AB'),
];

describe('normalisation properties', () => {
  it('ignores added or removed AB / Aktiebolag, case and extra whitespace', () => {
    fc.assert(
      fc.property(
        plainName,
        fc.array(fc.constantFrom(...decorations), { maxLength: 4 }),
        (name, ds) => {
          const decorated = ds.reduce((s, d) => d(s), name);
          expect(norm(decorated)).toBe(norm(name));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ignores diacritics', () => {
    fc.assert(
      fc.property(plainName, (name) => {
        const stripped = name
          .replace(/[åä]/g, 'a')
          .replace(/[ÅÄ]/g, 'A')
          .replace(/ö/g, 'o')
          .replace(/é/g, 'e');
        expect(norm(stripped)).toBe(norm(name));
      }),
    );
  });

  it('is idempotent', () => {
    const anyName = fc.oneof(
      plainName,
      plainName.map((s) => `Kommunen ${s} AB (publ) i likvidation`),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc
        .array(
          fc.constantFrom(
            'a',
            'b',
            'AB',
            'å',
            '.',
            ' ',
            '&',
            'kommun',
            'stad',
            'malmös',
            'region',
            'Ek',
            'för',
            's',
          ),
          {
            maxLength: 12,
          },
        )
        .map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(anyName, (name) => {
        const once = norm(name);
        expect(norm(once)).toBe(once);
        expect(normalizeUnitName(normalizeUnitName(name))).toBe(normalizeUnitName(name));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('similarity and scoring properties', () => {
  const normalized = fc.oneof(plainName.map(norm), fc.string().map(norm));

  it('similarity is symmetric, in [0, 1], and 1 on equal names', () => {
    fc.assert(
      fc.property(normalized, normalized, (a, b) => {
        const ab = similarity(a, b);
        expect(similarity(b, a)).toBe(ab);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(similarity(a, a)).toBe(1);
      }),
      { numRuns: 1000 },
    );
  });

  const employer: fc.Arbitrary<EmployerLike> = fc.record({
    name: fc.oneof(
      plainName,
      fc.constantFrom('Eslövs kommun', 'Kommunen Eslöv', 'Karlsson Bygg AB', 'Karlson Bygg'),
    ),
    orgNumber: fc.constantFrom(null, undefined, ESLOV_KOMMUN, VOLVO, OTHER_AB, '5566778890', '12'),
    unitName: fc.constantFrom(
      null,
      undefined,
      '',
      'Kulturförvaltningen',
      'Kulturförvaltningn',
      'Fritidsförvaltningen',
    ),
    municipality: fc.constantFrom(null, undefined, ESLOV, MALMO),
  });

  it('scoreDuplicate is symmetric', () => {
    fc.assert(
      fc.property(employer, employer, (a, b) => {
        const ab: DuplicateMatch | null = scoreDuplicate(a, b);
        expect(scoreDuplicate(b, a)).toEqual(ab);
        if (ab !== null) {
          expect(ab.score).toBeGreaterThan(0);
          expect(ab.score).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('an employer with a name and org number is a certain duplicate of itself', () => {
    fc.assert(
      fc.property(employer, (a) => {
        const match = scoreDuplicate(a, { ...a });
        if (typeof a.orgNumber === 'string' && /^\d{10}$/.test(a.orgNumber)) {
          expect(match?.level).toBe('certain');
        } else if (norm(a.name) !== '') {
          expect(match?.level).toBe('likely');
        }
      }),
    );
  });

  it('rankCandidates returns matches sorted by level, then score', () => {
    const rank = { certain: 3, likely: 2, possible: 1 };
    fc.assert(
      fc.property(employer, fc.array(employer, { maxLength: 8 }), (c, existing) => {
        const ranked = rankCandidates(c, existing);
        for (let i = 1; i < ranked.length; i += 1) {
          const p = ranked[i - 1].match;
          const q = ranked[i].match;
          expect(rank[p.level] > rank[q.level] || (p.level === q.level && p.score >= q.score)).toBe(
            true,
          );
        }
        expect(ranked.length).toBe(existing.filter((e) => scoreDuplicate(c, e) !== null).length);
      }),
    );
  });
});
