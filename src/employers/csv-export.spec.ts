import fc from 'fast-check';
import {
  EXPORT_HEADERS,
  type ExportRow,
  employerToCsvLine,
  employersToCsv,
  formatCsvCell,
} from './csv-export';
import {
  type EmployerImportData,
  IMPORT_SECTORS,
  IMPORT_SEGMENTS,
  type ImportRow,
  needsFormulaGuard,
  parseEmployerCsv,
  unguardCell,
} from './csv-import';

async function exportToString(
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  locale?: 'sv' | 'en',
): Promise<string> {
  let out = '';
  for await (const part of employersToCsv(rows, locale)) {
    out += part;
  }
  return out;
}

async function reimport(csv: string, detectDuplicates = true): Promise<ImportRow[]> {
  async function* bytes(): AsyncGenerator<Buffer> {
    yield Buffer.from(csv, 'utf8');
  }
  const rows: ImportRow[] = [];
  for await (const row of parseEmployerCsv(bytes(), { detectDuplicates })) {
    rows.push(row);
  }
  return rows;
}

const full: EmployerImportData = {
  name: 'Bageriet i Eslöv AB',
  orgNumber: '5560160680',
  orgNumberIsPersonnummer: false,
  unitName: null,
  sector: 'private',
  municipality: '1285',
  industry: '10.710',
  address: 'Storgatan 1\r\n241 30 Eslöv',
  website: 'https://bageriet.se',
  segments: ['shortage_occupation', 'small_business'],
  contact: { name: 'Åsa "Bagarn" Öberg', email: 'asa@bageriet.se', phone: '+46 413-123 45' },
};

describe('employersToCsv', () => {
  it('starts with a BOM and a Swedish header line, CRLF, semicolons', async () => {
    const parts: string[] = [];
    for await (const part of employersToCsv([])) {
      parts.push(part);
    }
    expect(parts).toEqual([
      '\uFEFFNamn;Organisationsnummer;Enhet;Sektor;Kommun;Bransch (SNI);Adress;Webbplats;Segment;Kontaktperson;E-post;Telefon\r\n',
    ]);
  });

  it('writes English headers and codes with "en"', async () => {
    const csv = await exportToString([full], 'en');
    const [header] = csv.split('\r\n');
    expect(header).toBe(
      '\uFEFFName;Organisation number;Unit;Sector;Municipality;Industry (SNI);Address;Website;Segments;Contact person;Email;Phone',
    );
    expect(csv).toContain(';private;1285;10.710;');
    expect(csv).toContain(';"shortage_occupation, small_business";');
  });

  it('writes one line per employer with Swedish labels', async () => {
    const csv = await exportToString([full]);
    expect(csv.split('\r\n')).toEqual([
      expect.any(String),
      'Bageriet i Eslöv AB;556016-0680;;privat;1285;10.710;"Storgatan 1',
      '241 30 Eslöv";https://bageriet.se;"bristyrke, småföretag";"Åsa ""Bagarn"" Öberg";asa@bageriet.se;\'+46 413-123 45',
      '',
    ]);
  });

  it('pulls rows lazily from an async source', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<ExportRow> {
      for (let i = 0; i < 1000; i += 1) {
        pulled += 1;
        yield { name: `Firma ${i}`, sector: 'private' };
      }
    }
    const out = employersToCsv(source());
    await out.next(); // header
    const first = await out.next();
    expect(first.value).toBe('Firma 0;;;privat;;;;;;;;\r\n');
    expect(pulled).toBe(1);
    await out.return();
  });

  it('masks a sole trader’s personnummer, also when the flag is missing', async () => {
    const lines = (
      await exportToString([
        { name: 'Kalles Snickeri', orgNumber: '8001011231', orgNumberIsPersonnummer: true },
        { name: 'Utan flagga', orgNumber: '8001011231' },
        { name: 'Konstigt lagrad', orgNumber: '800101-1231', orgNumberIsPersonnummer: false },
        { name: 'Bolag', orgNumber: '5560160680', orgNumberIsPersonnummer: false },
      ])
    ).split('\r\n');
    expect(lines[1]).toMatch(/^Kalles Snickeri;800101-XXXX;/);
    expect(lines[2]).toMatch(/^Utan flagga;800101-XXXX;/);
    expect(lines[3]).toMatch(/^Konstigt lagrad;800101-XXXX;/);
    expect(lines[4]).toMatch(/^Bolag;556016-0680;/);
    expect(lines.join('\n')).not.toContain('1231');
  });
});

describe('formatCsvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a;b', '"a;b"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['lf\nonly', '"lf\nonly"'],
    [' padded ', '" padded "'],
  ])('quotes %j as %j', (value, cell) => {
    expect(formatCsvCell(value)).toBe(cell);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+46 70 123 45 67', "'+46 70 123 45 67"],
    ['-5', "'-5"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', '"\'\t=1+1"'],
    ['\r=1+1', '"\'\r=1+1"'],
    [' =1+1', "' =1+1"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    [
      '=HYPERLINK("http://evil.example";"klicka")',
      '"\'=HYPERLINK(""http://evil.example"";""klicka"")"',
    ],
    ["'=1+1", "''=1+1"],
  ])('guards %j against formula injection', (value, cell) => {
    expect(formatCsvCell(value)).toBe(cell);
  });

  it.each([["'t Hooft"], ['a=b'], ['1-2'], ['Eslöv']])('leaves %j alone', (value) => {
    expect(formatCsvCell(value)).toBe(value);
  });

  it('never writes a cell a spreadsheet would run', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (value) => {
        const cell = formatCsvCell(value);
        const content = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(/^[=+\-@\t\r]/.test(content.trimStart())).toBe(false);
        expect(/^[\t\r]/.test(content)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('is undone by the import: guard and unguard round-trip every string up to trimming', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 20 }),
          fc
            .array(fc.constantFrom("'", ' ', '\t', '\r', '=', '+', '-', '@', 'a'), { maxLength: 6 })
            .map((chars) => chars.join('')),
        ),
        (value) => {
          const written = needsFormulaGuard(value) ? `'${value}` : value;
          expect(unguardCell(written.trim())).toBe(value.trim());
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('export → import round trip', () => {
  const rows: EmployerImportData[] = [
    full,
    {
      name: 'Eslövs kommun',
      orgNumber: '2120001140',
      orgNumberIsPersonnummer: false,
      unitName: 'Kultur- och fritidsförvaltningen; Medborgarhuset',
      sector: 'municipal_department',
      municipality: '1285',
      industry: null,
      address: null,
      website: null,
      segments: ['welfare_trainee_jobs'],
    },
    {
      name: '=SUM(A1:A9)',
      orgNumber: null,
      orgNumberIsPersonnummer: false,
      unitName: '@unit',
      sector: 'association',
      municipality: '0180',
      industry: '47',
      address: '-',
      website: 'http://xn--rksmrgs-5wao1o.se/a?b=c',
      segments: ['iop_partner', 'social_enterprise'],
      contact: { name: "'t Hooft", email: null, phone: '+46 8 123 456 78' },
    },
  ];

  it.each(['sv', 'en'] as const)('gives back the same data (%s)', async (locale) => {
    const back = await reimport(await exportToString(rows, locale));
    expect(back.map((r) => r.errors)).toEqual([[], [], []]);
    expect(back.map((r) => r.data)).toEqual(rows);
    expect(back.map((r) => r.line)).toEqual([2, 4, 5]); // the address spans two lines
  });

  it('asks for the full number of a masked sole trader', async () => {
    const soleTrader: ExportRow = {
      name: 'Kalles Snickeri',
      orgNumber: '8001011231',
      orgNumberIsPersonnummer: true,
      sector: 'private',
    };
    const [row] = await reimport(await exportToString([soleTrader]));
    expect(row.data).toBeUndefined();
    expect(row.errors).toEqual([
      { field: 'orgNumber', message: expect.stringContaining('masked personnummer') },
    ]);
    expect(row.raw['Organisationsnummer']).toBe('800101-XXXX');
  });

  it('property: rows of arbitrary unicode text survive export → parse', async () => {
    const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
    const optionalText = (maxLength: number) => fc.option(text(maxLength), { nil: null });
    const orgNumberArb = fc
      .tuple(
        fc.constantFrom('2', '5', '7', '8', '9'),
        fc.integer({ min: 2, max: 9 }),
        fc.nat(999_999),
      )
      .map(([group, third, rest]) => {
        const nine = `${group}${group === '2' ? '1' : '5'}${third}${String(rest).padStart(6, '0')}`;
        let sum = 0;
        for (let i = 0; i < 9; i += 1) {
          const d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
          sum += d > 9 ? d - 9 : d;
        }
        return `${nine}${(10 - (sum % 10)) % 10}`;
      });
    const rowArb = fc.record({
      name: text(80).filter((s) => s.trim() !== ''),
      orgNumber: fc.option(orgNumberArb, { nil: null }),
      unitName: optionalText(60),
      sector: fc.constantFrom(...IMPORT_SECTORS),
      municipality: fc.option(fc.constantFrom('0114', '0180', '1280', '1285', '1484', '2584'), {
        nil: null,
      }),
      industry: fc.option(fc.constantFrom('01', '47.11', '56.100'), { nil: null }),
      address: optionalText(80),
      website: fc.option(fc.constantFrom('https://example.se', 'http://räksmörgås.se/a?b=c;d'), {
        nil: null,
      }),
      segments: fc.subarray([...IMPORT_SEGMENTS]),
      contact: fc.option(
        fc.record({
          name: optionalText(40),
          email: fc.option(fc.constantFrom('anna@example.se', 'info@räksmörgås.se'), { nil: null }),
          phone: fc.option(fc.constantFrom('+46 70 123 45 67', '0413-620 00'), { nil: null }),
        }),
        { nil: undefined },
      ),
    });

    const emptyToNull = (s: string | null | undefined) => {
      const t = (s ?? '').trim();
      return t === '' ? null : t;
    };

    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 5 }),
        fc.constantFrom('sv', 'en'),
        async (input, locale) => {
          const back = await reimport(await exportToString(input, locale as 'sv' | 'en'), false);
          expect(back).toHaveLength(input.length);
          back.forEach((row, i) => {
            const sent = input[i];
            expect(row.errors).toEqual([]);
            const contact = sent.contact && {
              name: emptyToNull(sent.contact.name),
              email: sent.contact.email,
              phone: sent.contact.phone,
            };
            const expected: EmployerImportData = {
              name: sent.name.trim(),
              orgNumber: sent.orgNumber,
              orgNumberIsPersonnummer: false,
              unitName: emptyToNull(sent.unitName),
              sector: sent.sector,
              municipality: sent.municipality,
              industry: sent.industry,
              address: emptyToNull(sent.address),
              website: sent.website,
              segments: sent.segments,
            };
            if (
              contact &&
              (contact.name !== null || contact.email !== null || contact.phone !== null)
            ) {
              expected.contact = contact;
            }
            expect(row.data).toEqual(expected);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('employerToCsvLine', () => {
  it('uses the same columns as the header', () => {
    const line = employerToCsvLine({ name: 'A' }, 'en');
    expect(line.split(';')).toHaveLength(Object.keys(EXPORT_HEADERS.en).length);
  });
});
