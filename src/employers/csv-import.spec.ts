import { Readable } from 'node:stream';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { EMPLOYER_SECTORS, EMPLOYER_SEGMENTS } from './employer.entity';
import {
  CsvImportError,
  IMPORT_SECTORS,
  IMPORT_SEGMENTS,
  type ImportHeaderInfo,
  type ImportRow,
  type ParseEmployerCsvOptions,
  detectDelimiter,
  detectEncoding,
  isMunicipalityCode,
  mapHeaderColumn,
  parseEmployerCsv,
} from './csv-import';

// ---------------------------------------------------------------------------
// Helpers

type Input = Parameters<typeof parseEmployerCsv>[0];

async function* chunked(bytes: Buffer, size = bytes.length || 1): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) {
    yield bytes.subarray(i, i + size);
  }
}

async function parseAll(
  input: Input,
  opts: ParseEmployerCsvOptions = {},
): Promise<{ rows: ImportRow[]; header: ImportHeaderInfo | undefined }> {
  let header: ImportHeaderInfo | undefined;
  const rows: ImportRow[] = [];
  for await (const row of parseEmployerCsv(input, {
    ...opts,
    onHeader: (h) => {
      header = h;
    },
  })) {
    rows.push(row);
  }
  return { rows, header };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const cp1252 = (text: string) => iconv.encode(text, 'windows-1252');
const parseText = (text: string, opts?: ParseEmployerCsvOptions) =>
  parseAll(chunked(utf8(text)), opts);

async function expectImportError(
  input: Input,
  code: CsvImportError['code'],
): Promise<{ error: CsvImportError; rows: ImportRow[]; header: ImportHeaderInfo | undefined }> {
  const rows: ImportRow[] = [];
  let header: ImportHeaderInfo | undefined;
  try {
    for await (const row of parseEmployerCsv(input, {
      onHeader: (h) => {
        header = h;
      },
    })) {
      rows.push(row);
    }
  } catch (error) {
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).code).toBe(code);
    return { error: error as CsvImportError, rows, header };
  }
  throw new Error(`expected CsvImportError ${code}`);
}

/** A valid organisation number (not a personnummer): Luhn over 9 digits, third digit ≥ 2. */
function orgNumber(seed: number): string {
  const nine = `55${String(2 + (seed % 8))}${String(seed % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) {
      d -= 9;
    }
    sum += d;
  }
  return `${nine}${(10 - (sum % 10)) % 10}`;
}

const MUNICIPALITIES: Record<string, string> = {
  eslov: '1285',
  malmo: '1280',
  lysekil: '1484',
  stockholm: '0180',
  'upplands vasby': '0114',
};
const municipalityLookup = (name: string): string | null => {
  const key = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/s? kommun$/, '')
    .trim();
  return MUNICIPALITIES[key] ?? null;
};

// ---------------------------------------------------------------------------

describe('detectEncoding', () => {
  it('trusts a UTF-8 byte order mark', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), cp1252('Malmö')]))).toBe(
      'utf-8',
    );
  });

  it('reads valid UTF-8 as UTF-8 and plain ASCII as UTF-8', () => {
    expect(detectEncoding(utf8('Namn;Kommun\nÅhléns;Malmö\n'))).toBe('utf-8');
    expect(detectEncoding(utf8('Name,Org number\n'))).toBe('utf-8');
    expect(detectEncoding(Buffer.alloc(0))).toBe('utf-8');
  });

  it('reads single-byte å ä ö (Swedish Excel) as windows-1252', () => {
    expect(detectEncoding(cp1252('Namn;Kommun\nÅhléns;Malmö\n'))).toBe('windows-1252');
    expect(detectEncoding(cp1252('Företagsnamn'))).toBe('windows-1252');
  });

  it('tolerates a multi-byte character cut by the end of the chunk', () => {
    const bytes = utf8('Namn;Kommun\nEslöv');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 2))).toBe('utf-8'); // "Esl" + 0xC3
    // 0xF6 (cp1252 ö) can never start a UTF-8 sequence, even at the very end.
    expect(detectEncoding(cp1252('Malmö'))).toBe('windows-1252');
  });
});

describe('detectDelimiter', () => {
  it('picks the most frequent of ; , and TAB', () => {
    expect(detectDelimiter('Namn;Organisationsnummer;Enhet')).toBe(';');
    expect(detectDelimiter('Name,Organisation number,Unit')).toBe(',');
    expect(detectDelimiter('Name\tOrg number\tUnit')).toBe('\t');
  });

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('"Namn, företag";"Org.nr, med bindestreck";Enhet')).toBe(';');
    expect(detectDelimiter('"Namn; företag","Org ""a;b;c""",Unit')).toBe(',');
  });

  it('prefers ; for ties and single-column files', () => {
    expect(detectDelimiter('Namn')).toBe(';');
    expect(detectDelimiter('Namn;Org, nr')).toBe(';');
  });
});

describe('mapHeaderColumn', () => {
  it.each([
    ['Namn', 'name'],
    ['FÖRETAGSNAMN', 'name'],
    ['foretagsnamn', 'name'],
    ['Arbetsgivare', 'name'],
    ['Company', 'name'],
    ['Organisationsnummer', 'orgNumber'],
    ['Org.nr', 'orgNumber'],
    ['org nr', 'orgNumber'],
    ['ORGNR', 'orgNumber'],
    ['Organisation number', 'orgNumber'],
    ['org_number', 'orgNumber'],
    ['Enhet', 'unitName'],
    ['Förvaltning', 'unitName'],
    ['Arbetsplats', 'unitName'],
    ['Avdelning', 'unitName'],
    ['Workplace', 'unitName'],
    ['Sektor', 'sector'],
    ['Kommun', 'municipality'],
    ['Kommunkod', 'municipality'],
    ['Municipality', 'municipality'],
    ['SNI', 'industry'],
    ['Bransch (SNI)', 'industry'],
    ['Industry', 'industry'],
    ['Adress', 'address'],
    ['Webbplats', 'website'],
    ['Hemsida', 'website'],
    ['Kontaktperson', 'contactName'],
    ['  Contact   person ', 'contactName'],
    ['E-post', 'contactEmail'],
    ['epost', 'contactEmail'],
    ['Mejl', 'contactEmail'],
    ['Email', 'contactEmail'],
    ['Kontaktperson e-post', 'contactEmail'],
    ['Telefon', 'contactPhone'],
    ['Tel', 'contactPhone'],
    ['Phone', 'contactPhone'],
    ['Segment', 'segments'],
    ['Segments', 'segments'],
  ])('%j → %s', (header, field) => {
    expect(mapHeaderColumn(header)).toBe(field);
  });

  it('does not guess at unknown columns', () => {
    expect(mapHeaderColumn('Storlek')).toBeNull();
    expect(mapHeaderColumn('Ansvarig')).toBeNull();
    expect(mapHeaderColumn('')).toBeNull();
  });
});

describe('isMunicipalityCode', () => {
  it('accepts real kommunkoder and refuses counties that do not exist', () => {
    for (const code of ['0114', '0180', '1280', '1285', '1484', '2584', '0980']) {
      expect(isMunicipalityCode(code)).toBe(true);
    }
    for (const code of ['0000', '0200', '1100', '1501', '9999', '1200', '128', '12850']) {
      expect(isMunicipalityCode(code)).toBe(false);
    }
  });
});

describe('sector and segment codes', () => {
  it('are the same lists as the employer entity', () => {
    expect([...IMPORT_SECTORS]).toEqual([...EMPLOYER_SECTORS]);
    expect([...IMPORT_SEGMENTS]).toEqual([...EMPLOYER_SEGMENTS]);
  });
});

describe('parseEmployerCsv: a Swedish Excel file (windows-1252, semicolons)', () => {
  const file = cp1252(
    [
      'Företagsnamn;Org.nr;Förvaltning;Sektor;Kommun;Kontaktperson;E-post;Telefon;Storlek',
      'Bageriet i Eslöv AB;556016-0680;;privat;1285;Åsa Öberg;asa@bageriet.se;0413-123 45;5',
      'Eslövs kommun;212000-1140;"Kultur; och fritidsförvaltningen";kommunal förvaltning;Eslöv;;;;',
      '  Yalla Trappan  ;  ; ; socialt företag ; Malmö ',
      '',
    ].join('\r\n'),
  );

  it('decodes å ä ö, maps the Swedish header and reports the rest', async () => {
    const { rows, header } = await parseAll(chunked(file), { municipalityLookup });
    expect(header).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      sepLine: false,
      line: 1,
      mapped: {
        name: 'Företagsnamn',
        orgNumber: 'Org.nr',
        unitName: 'Förvaltning',
        sector: 'Sektor',
        municipality: 'Kommun',
        contactName: 'Kontaktperson',
        contactEmail: 'E-post',
        contactPhone: 'Telefon',
      },
      unknown: ['Storlek'],
      errors: [],
    });
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(rows.every((r) => r.errors.length === 0)).toBe(true);
    expect(rows[0].data).toEqual({
      name: 'Bageriet i Eslöv AB',
      orgNumber: '5560160680',
      orgNumberIsPersonnummer: false,
      unitName: null,
      sector: 'private',
      municipality: '1285',
      industry: null,
      address: null,
      website: null,
      segments: [],
      contact: { name: 'Åsa Öberg', email: 'asa@bageriet.se', phone: '0413-123 45' },
    });
    expect(rows[0].raw).toMatchObject({ Företagsnamn: 'Bageriet i Eslöv AB', Storlek: '5' });
    expect(rows[1].data).toMatchObject({
      name: 'Eslövs kommun',
      unitName: 'Kultur; och fritidsförvaltningen',
      sector: 'municipal_department',
      municipality: '1285',
    });
    expect(rows[1].data?.contact).toBeUndefined();
    // Too few columns and extra whitespace.
    expect(rows[2].data).toMatchObject({
      name: 'Yalla Trappan',
      orgNumber: null,
      unitName: null,
      sector: 'social_enterprise',
      municipality: '1280',
    });
  });

  it('skips Excel\'s "sep=;" line and counts it in line numbers', async () => {
    const withSep = Buffer.concat([cp1252('sep=;\r\n'), file]);
    const { rows, header } = await parseAll(chunked(withSep), { municipalityLookup });
    expect(header).toMatchObject({ sepLine: true, line: 2, delimiter: ';' });
    expect(rows.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(rows[0].data?.name).toBe('Bageriet i Eslöv AB');
  });

  it('obeys the delimiter that the sep= line names', async () => {
    const { rows, header } = await parseText('"sep=,"\nNamn,Kommun\n"Ica; Maxi",1285\n');
    expect(header?.delimiter).toBe(',');
    expect(rows[0].data).toMatchObject({ name: 'Ica; Maxi', municipality: '1285' });
  });

  it('gives the same rows however the bytes are chunked', async () => {
    const whole = await parseAll(chunked(file), { municipalityLookup });
    for (const size of [1, 2, 3, 7, 64]) {
      const split = await parseAll(chunked(file, size), { municipalityLookup });
      expect(split.rows).toEqual(whole.rows);
      expect(split.header).toEqual(whole.header);
    }
  });

  it('finds the encoding even when the first 100 kB are plain ASCII', async () => {
    const ascii = Array.from({ length: 6000 }, (_, i) => `Firma ${i} AB;1285`).join('\r\n');
    const bytes = cp1252(`Namn;Kommun\r\n${ascii}\r\nMalmö Städ AB;1280\r\n`);
    expect(bytes.indexOf(0xf6)).toBeGreaterThan(100_000);
    const { rows, header } = await parseAll(chunked(bytes, 4096));
    expect(header?.encoding).toBe('utf-8'); // all the header saw was ASCII
    expect(rows).toHaveLength(6001);
    expect(rows[6000]).toMatchObject({ line: 6002, data: { name: 'Malmö Städ AB' } });
  });
});

describe('parseEmployerCsv: UTF-8 with BOM, commas and English headers', () => {
  it('reads it like the Swedish file', async () => {
    const text =
      '\uFEFFName,Organisation number,Unit,Sector,Municipality,Industry,Website,Segments,Contact person,Email,Phone\n' +
      'Räksmörgås AB,556016-0680,,Private,1280,56100,räksmörgås.se,"small business, IOP",Zoë,zoe@räksmörgås.se,+46 40 123 45\n' +
      '"Malmö stad","212000-1124","Fritidsförvaltningen","municipal_department","0180",,,,,,\n';
    const { rows, header } = await parseText(text);
    expect(header).toMatchObject({ encoding: 'utf-8', delimiter: ',', unknown: [] });
    expect(Object.keys(header?.mapped ?? {})).toHaveLength(11);
    expect(rows[0].errors).toEqual([]);
    expect(rows[0].data).toEqual({
      name: 'Räksmörgås AB',
      orgNumber: '5560160680',
      orgNumberIsPersonnummer: false,
      unitName: null,
      sector: 'private',
      municipality: '1280',
      industry: '56.100',
      address: null,
      website: 'https://räksmörgås.se',
      segments: ['small_business', 'iop_partner'],
      contact: { name: 'Zoë', email: 'zoe@räksmörgås.se', phone: '+46 40 123 45' },
    });
    expect(rows[1].errors).toEqual([]);
    expect(rows[1].data).toMatchObject({
      name: 'Malmö stad',
      unitName: 'Fritidsförvaltningen',
      sector: 'municipal_department',
      municipality: '0180',
    });
  });

  it('reads tab-separated files', async () => {
    const { rows, header } = await parseText('Namn\tKommun\tSektor\nIca\t1285\t\n');
    expect(header?.delimiter).toBe('\t');
    expect(rows[0].data).toMatchObject({ name: 'Ica', municipality: '1285', sector: 'private' });
  });

  it('decodes as told when the encoding is forced', async () => {
    const bytes = cp1252('Namn;Kommun\nHöör Bygg;1267\n');
    const { rows, header } = await parseAll(chunked(bytes), { encoding: 'windows-1252' });
    expect(header?.encoding).toBe('windows-1252');
    expect(rows[0].data?.name).toBe('Höör Bygg');
  });

  it('accepts a Node readable stream', async () => {
    const stream = Readable.from([utf8('Namn;Kommun\r\n'), utf8('Eslövs Bygg;1285\r\n')]);
    const { rows } = await parseAll(stream);
    expect(rows.map((r) => r.data?.name)).toEqual(['Eslövs Bygg']);
  });
});

describe('parseEmployerCsv: awkward files', () => {
  it('numbers lines right around quoted values spanning CRLF lines', async () => {
    // csv-parse counts a CRLF inside quotes as two lines; the parser corrects for it.
    const text =
      'Namn;Adress\r\n' +
      'Ett AB;"Storgatan 1\r\n241 30 Eslöv"\r\n' +
      '\r\n' +
      'Två AB;"a\r\n\r\nb"\r\n' +
      'Tre AB;Torget 2\r\n';
    const { rows } = await parseText(text);
    expect(rows.map((r) => [r.line, r.data?.name])).toEqual([
      [2, 'Ett AB'],
      [5, 'Två AB'],
      [8, 'Tre AB'],
    ]);
    expect(rows[0].data?.address).toBe('Storgatan 1\r\n241 30 Eslöv');
  });

  it('splits rows on any line end, also mixed in one file', async () => {
    const { rows } = await parseText('Namn;Kommun\r\nA;1285\nB;1280\rC;1484\r\n');
    expect(rows.map((r) => [r.line, r.data?.name, r.data?.municipality])).toEqual([
      [2, 'A', '1285'],
      [3, 'B', '1280'],
      [4, 'C', '1484'],
    ]);
  });

  it('skips blank rows and rows of empty cells, and a trailing empty line', async () => {
    const { rows } = await parseText('\r\nNamn;Kommun\r\n;;\r\n   \r\nA;1285\r\n;\r\n\r\n');
    expect(rows.map((r) => [r.line, r.data?.name])).toEqual([[5, 'A']]);
  });

  it('refuses a row with more values than the header (an unquoted delimiter)', async () => {
    const { rows } = await parseText('Namn;Kommun\nAndersson; Bygg AB;1285\nB;1280;;\n');
    expect(rows[0].data).toBeUndefined();
    expect(rows[0].errors).toEqual([
      { field: 'row', message: expect.stringContaining('3 values but the header has 2') },
    ]);
    expect(rows[0].raw).toEqual({ Namn: 'Andersson', Kommun: 'Bygg AB', 'Column 3': '1285' });
    expect(rows[1].errors).toEqual([]); // trailing empty cells are fine
  });

  it('uses the first non-empty of two columns for one field and reports the second', async () => {
    const { rows, header } = await parseText('Kommun;Namn;Kommunkod\nMalmö;A;\n;B;1285\n', {
      municipalityLookup,
    });
    expect(header?.duplicates).toEqual(['Kommunkod']);
    expect(rows.map((r) => r.data?.municipality)).toEqual(['1280', '1285']);
  });
});

describe('parseEmployerCsv: unusable files', () => {
  it.each([
    ['a zero-byte file', Buffer.alloc(0)],
    ['a BOM and blank lines', utf8('\uFEFF\r\n  \r\n')],
    ['only a sep= line', utf8('sep=;\r\n')],
    ['only empty cells', utf8(';;;\r\n;;\r\n')],
  ])('%s: no rows, a header error', async (_what, bytes) => {
    const { error, rows, header } = await expectImportError(chunked(bytes), 'empty_file');
    expect(rows).toEqual([]);
    expect(header?.errors).toHaveLength(1);
    expect(error.header).toBe(header);
  });

  it('refuses a header without a name column', async () => {
    const { error, rows, header } = await expectImportError(
      chunked(utf8('Org.nr;Kommun\n5560160680;1285\n')),
      'missing_name_column',
    );
    expect(rows).toEqual([]);
    expect(header?.errors[0].field).toBe('name');
    expect(error.line).toBe(1);
  });

  it('accepts a header without rows', async () => {
    const { rows, header } = await parseText('Namn;Kommun\r\n');
    expect(rows).toEqual([]);
    expect(header?.errors).toEqual([]);
  });

  it('refuses UTF-16 (Excel "Unicode text") with advice', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Namn\tKommun\r\n', 'utf16le'),
    ]);
    const { error } = await expectImportError(chunked(bytes, 1), 'unsupported_encoding');
    expect(error.message).toContain('CSV UTF-8');
  });

  it('yields the rows before broken quoting, then says where it broke', async () => {
    const { error, rows } = await expectImportError(
      chunked(utf8('Namn;Kommun\nA;1285\nB;"1280"x\nC;1484\n')),
      'malformed_csv',
    );
    expect(rows.map((r) => r.data?.name)).toEqual(['A']);
    expect(error.line).toBe(3);
    expect(error.message).toContain('line 3');
  });

  it('stops at a quote that is never closed instead of swallowing the file', async () => {
    const body = Array.from({ length: 3000 }, (_, i) => `Firma ${i};1285`).join('\n');
    const { error, rows } = await expectImportError(
      chunked(utf8(`Namn;Kommun\nA;"1285\n${body}\n`), 512),
      'malformed_csv',
    );
    expect(rows.map((r) => r.data?.name)).toEqual([]);
    expect(error.line).toBe(2);
  });
});

describe('parseEmployerCsv: validation of a mixed file', () => {
  const header =
    'Namn;Organisationsnummer;Enhet;Sektor;Kommun;SNI;Webbplats;Segment;Kontaktperson;E-post;Telefon';
  const lines = [
    /* 2 */ 'Bageriet i Eslöv AB;556016-0680;;privat;1285;56.100;bageriet.se;bristyrke | småföretag;;;',
    /* 3 */ 'Kalles Snickeri;19800101-1231;;;Eslöv;;;;;;',
    /* 4 */ 'Felnummer AB;556016-0681;;;;;;;;;',
    /* 5 */ 'Maskad Firma;800101-XXXX;;;;;;;;;',
    /* 6 */ ';556016-0680;;;;;;;;;',
    /* 7 */ `${'x'.repeat(201)};;;;;;;;;;`,
    /* 8 */ 'Sektorlös AB;;;okänd;;;;;;;',
    /* 9 */ 'Kommunlös AB;;;;Atlantis;;;;;;',
    /* 10 */ 'Kod AB;;;;9999;;;;;;',
    /* 11 */ 'Bransch AB;;;;;Bygg;;;;;',
    /* 12 */ 'Webb AB;;;;;;javascript:alert(1);;;;',
    /* 13 */ 'Mejl AB;;;;;;;;Anna;Anna <anna@example.se>;',
    /* 14 */ 'Tel AB;;;;;;;;;;12',
    /* 15 */ 'Segment AB;;;;;;;guldkund;;;',
    /* 16 */ 'BAGERIET I ESLÖV;;;;1285;;;;Bo;bo@bageriet.se;',
    /* 17 */ 'Bageriet i Eslöv AB;556016-0680;;;1285;;;;Cecilia;;',
    /* 18 */ 'Eslövs kommun;212000-1140;Kulturförvaltningen;Kommunal förvaltning;1285;;;;;;',
    /* 19 */ 'Eslövs kommun;212000-1140;Fritidsförvaltningen;kommunal förvaltning;1285;;;;;;',
    /* 20 */ 'ICA Kvantum;;;;1280;;;;;;',
    /* 21 */ 'ICA Kvantum;;;;1484;;;;;;',
    /* 22 */ '\'=HYPERLINK("x");;;;;;;;;;\'+46 40 12 34 56',
    /* 23 */ "'t Hooft Consulting;;;State;180;4711;http://hooft.se/om;IOP, iop-partner;;;",
  ];
  let rows: ImportRow[];

  beforeAll(async () => {
    ({ rows } = await parseText(`${header}\r\n${lines.join('\r\n')}\r\n`, { municipalityLookup }));
  });

  const at = (line: number) => {
    const row = rows.find((r) => r.line === line);
    if (!row) {
      throw new Error(`no row at line ${line}`);
    }
    return row;
  };
  const errorsAt = (line: number) => at(line).errors;

  it('yields every row with its line', () => {
    expect(rows.map((r) => r.line)).toEqual(lines.map((_, i) => i + 2));
    expect(rows.every((r) => (r.data === undefined) === r.errors.length > 0)).toBe(true);
  });

  it('accepts a complete row', () => {
    expect(at(2).data).toEqual({
      name: 'Bageriet i Eslöv AB',
      orgNumber: '5560160680',
      orgNumberIsPersonnummer: false,
      unitName: null,
      sector: 'private',
      municipality: '1285',
      industry: '56.100',
      address: null,
      website: 'https://bageriet.se',
      segments: ['shortage_occupation', 'small_business'],
    });
  });

  it('accepts a sole trader and marks the number as a personnummer', () => {
    expect(at(3).data).toMatchObject({
      orgNumber: '8001011231',
      orgNumberIsPersonnummer: true,
      municipality: '1285',
      sector: 'private',
    });
  });

  it('explains each invalid field', () => {
    expect(errorsAt(4)).toEqual([
      { field: 'orgNumber', message: 'not a valid organisation number' },
    ]);
    expect(errorsAt(5)).toEqual([
      {
        field: 'orgNumber',
        message: expect.stringMatching(/^not a valid organisation number: a masked personnummer/),
      },
    ]);
    expect(errorsAt(6)).toEqual([{ field: 'name', message: 'name is required' }]);
    expect(errorsAt(7)).toEqual([{ field: 'name', message: 'must be at most 200 characters' }]);
    expect(errorsAt(8)).toEqual([{ field: 'sector', message: expect.stringContaining('okänd') }]);
    expect(errorsAt(9)).toEqual([
      { field: 'municipality', message: expect.stringContaining('Atlantis') },
    ]);
    expect(errorsAt(10)).toEqual([
      { field: 'municipality', message: expect.stringContaining('kommunkod') },
    ]);
    expect(errorsAt(11)).toEqual([
      { field: 'industry', message: 'industry must be an SNI code, e.g. 56.100' },
    ]);
    expect(errorsAt(12)).toEqual([
      { field: 'website', message: expect.stringContaining('web address') },
    ]);
    expect(errorsAt(13)).toEqual([{ field: 'contactEmail', message: 'not a valid email address' }]);
    expect(errorsAt(14)).toEqual([{ field: 'contactPhone', message: 'not a phone number' }]);
    expect(errorsAt(15)).toEqual([
      { field: 'segments', message: expect.stringContaining('guldkund') },
    ]);
  });

  it('flags duplicate-looking rows without refusing them', () => {
    expect(at(16).data?.contact).toEqual({ name: 'Bo', email: 'bo@bageriet.se', phone: null });
    expect(at(16).duplicateOf).toEqual({ line: 2, reason: 'same_normalized_name' });
    expect(at(17).duplicateOf).toEqual({ line: 2, reason: 'same_org_number_and_unit' });
    expect(at(17).errors).toEqual([]);
    // Two departments of one municipality, and one chain in two towns, are different employers.
    expect(at(19).duplicateOf).toBeUndefined();
    expect(at(21).duplicateOf).toBeUndefined();
    expect(rows.filter((r) => r.duplicateOf)).toHaveLength(2);
  });

  it("removes the export's formula guard but keeps a name's own apostrophe", () => {
    expect(at(22).data).toMatchObject({
      name: '=HYPERLINK("x")',
      contact: { name: null, email: null, phone: '+46 40 12 34 56' },
    });
    expect(at(23).data).toMatchObject({
      name: "'t Hooft Consulting",
      sector: 'state',
      municipality: '0180', // Excel dropped the leading zero
      industry: '47.11',
      website: 'http://hooft.se/om',
      segments: ['iop_partner'],
    });
  });

  it('never repeats a personnummer in an error message', async () => {
    const { rows: one } = await parseText('Namn;Kommun;Sektor\nA;800101-1231;19800101-1231\n');
    expect(one[0].errors.map((e) => e.field)).toEqual(['sector', 'municipality']);
    expect(JSON.stringify(one[0].errors)).not.toContain('1231');
  });

  it('defaults the sector to private when the column is missing', async () => {
    const { rows: noSector } = await parseText('Namn\nA\n');
    expect(noSector[0].data?.sector).toBe('private');
  });

  it('needs a lookup to read municipality names', async () => {
    const { rows: noLookup } = await parseText('Namn;Kommun\nA;Eslöv\n');
    expect(noLookup[0].errors[0].field).toBe('municipality');
  });

  it.each([
    ['mailto:anna@example.se'],
    ['https://'],
    ['localhost'],
    ['ftp://example.se'],
    ['https://exa mple.se'],
    ['https://user:pw@example.se'],
  ])('refuses the website %j', async (website) => {
    const { rows: one } = await parseText(`Namn;Webbplats\nA;"${website}"\n`);
    expect(one[0].errors.map((e) => e.field)).toEqual(['website']);
  });
});

describe('parseEmployerCsv: streaming', () => {
  const ROWS = 20_000;
  const PER_CHUNK = 100;

  it('parses 20,000 generated rows without reading the whole file first', async () => {
    let producedRows = 0;
    let maxLead = 0;
    async function* generate(): AsyncGenerator<Buffer> {
      yield cp1252('Namn;Organisationsnummer;Kommun;Sektor;Segment\r\n');
      for (let start = 0; start < ROWS; start += PER_CHUNK) {
        let chunk = '';
        for (let i = start; i < start + PER_CHUNK; i += 1) {
          const org = i % 2 === 0 ? `${orgNumber(i).slice(0, 6)}-${orgNumber(i).slice(6)}` : '';
          chunk += `Företag nr ${i} i Höör;${org};1267;${i % 3 === 0 ? 'förening' : 'privat'};småföretag\r\n`;
        }
        producedRows += PER_CHUNK;
        yield cp1252(chunk);
      }
    }

    let count = 0;
    let errors = 0;
    let duplicates = 0;
    let lastLine = 0;
    let misnumbered = 0;
    let header: ImportHeaderInfo | undefined;
    for await (const row of parseEmployerCsv(generate(), { onHeader: (h) => (header = h) })) {
      count += 1;
      errors += row.errors.length;
      duplicates += row.duplicateOf ? 1 : 0;
      // Plain checks: 20,000 `expect` calls would dominate the run time.
      if (row.line !== (lastLine === 0 ? 2 : lastLine + 1)) {
        misnumbered += 1;
      }
      lastLine = row.line;
      maxLead = Math.max(maxLead, producedRows - count);
      if (count === 1) {
        expect(row.data?.name).toBe('Företag nr 0 i Höör');
        expect(producedRows).toBeLessThan(1_000);
      }
    }
    expect(header?.encoding).toBe('windows-1252');
    expect(count).toBe(ROWS);
    expect(errors).toBe(0);
    expect(duplicates).toBe(0);
    expect(lastLine).toBe(ROWS + 1);
    expect(misnumbered).toBe(0);
    // The producer is never far ahead of the consumer: the file is never held whole.
    expect(maxLead).toBeLessThan(1_000);
  });

  it('stops reading and closes the source when the consumer stops early', async () => {
    let produced = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        yield utf8('Namn;Kommun\n');
        for (;;) {
          produced += 1;
          yield utf8(`Firma ${produced};1285\n`);
        }
      } finally {
        closed = true;
      }
    }
    const names: string[] = [];
    for await (const row of parseEmployerCsv(endless())) {
      names.push(row.data?.name ?? '');
      if (names.length === 5) {
        break;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(names).toEqual(['Firma 1', 'Firma 2', 'Firma 3', 'Firma 4', 'Firma 5']);
    expect(closed).toBe(true);
    expect(produced).toBeLessThan(10_000);
  });

  it('passes on an error of the input stream', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield utf8('Namn;Kommun\nA;1285\n');
      throw new Error('connection reset');
    }
    await expect(parseAll(failing())).rejects.toThrow('connection reset');
  });

  it('property: splitting the bytes anywhere changes nothing', async () => {
    const bytes = cp1252(
      'sep=;\r\nNamn;Enhet;Kommun\r\n"Åhléns; City";"Rad 1\r\nRad 2";0180\r\nÖstra Göinge kommun;;1256\r\n',
    );
    const expected = await parseAll(chunked(bytes));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          async function* pieces(): AsyncGenerator<Buffer> {
            for (let i = 1; i < points.length; i += 1) {
              yield bytes.subarray(points[i - 1], points[i]);
            }
          }
          const actual = await parseAll(pieces());
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
