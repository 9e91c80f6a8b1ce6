import iconv from 'iconv-lite';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createUser, TEST_PASSWORD } from '../factories/users';

const MIXED = [
  'Företagsnamn;Organisationsnummer;Enhet;Sektor;Kommun;E-post;Okänd kolumn',
  'Åkeri Nilsson AB;556016-0680;;privat;1285;info@akerinilsson.se;x',
  'Eslövs kommun;212000-1124;Kulturförvaltningen;kommunal förvaltning;1285;;',
  'Eslövs kommun;212000-1124;Fritidsförvaltningen;kommunal förvaltning;1285;;',
  ';5560160680;;privat;1285;;', // invalid: no name
  'Fel Nummer AB;556016-0681;;privat;1285;;', // invalid org number
  'Åkeri Nilsson Aktiebolag;5560160680;;privat;1285;;', // duplicate in the file
  'Befintlig Bygg AB;;;privat;1266;;', // duplicate of the register
  'Ny Förening;;;förening;1266;"kontakt@ny-forening.se";',
].join('\r\n');

describe('employer CSV import and export', () => {
  let t: TestApp;
  let rec: ReturnType<TestApp['agent']>;
  let existingId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const user = await createUser(t.db, ['recruiter']);
    rec = t.agent();
    await rec
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    existingId = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Befintlig Bygg', sector: 'private', municipality: '1266' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (body: Buffer, dryRun: boolean) =>
    rec
      .post('/api/v1/employers/imports')
      .query({ dryRun, filename: 'arbetsgivare.csv' })
      .set('Content-Type', 'text/csv')
      .send(body);

  it('dry-runs a Windows-1252, semicolon file with Swedish headers, reporting each row', async () => {
    const res = await upload(iconv.encode(MIXED, 'win1252'), true).expect(201);
    expect(res.body).toMatchObject({
      dryRun: true,
      status: 'done',
      totalRows: 8,
      newRows: 4,
      duplicateRows: 2,
      invalidRows: 2,
      createdRows: 0,
    });
    expect(res.body.header).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
      unknown: ['Okänd kolumn'],
    });
    const rows = (
      await rec
        .get(`/api/v1/employers/imports/${res.body.id}/rows`)
        .query({ limit: 100 })
        .expect(200)
    ).body.items;
    const byLine = Object.fromEntries(rows.map((r: { line: number }) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ status: 'new', name: 'Åkeri Nilsson AB' });
    expect(byLine[5]).toMatchObject({
      status: 'invalid',
      errors: [expect.objectContaining({ field: 'name' })],
    });
    expect(byLine[6]).toMatchObject({
      status: 'invalid',
      errors: [expect.objectContaining({ field: 'orgNumber' })],
    });
    expect(byLine[7]).toMatchObject({ status: 'duplicate', duplicateOfLine: 2 });
    expect(byLine[8]).toMatchObject({
      status: 'duplicate',
      employerId: existingId,
      reason: 'same_normalized_name',
    });
    const invalid = await rec
      .get(`/api/v1/employers/imports/${res.body.id}/rows`)
      .query({ status: 'invalid' })
      .expect(200);
    expect(invalid.body.total).toBe(2);
    expect(Number((await t.db.query('SELECT COUNT(*) AS n FROM employer'))[0].n)).toBe(1);
  });

  it('creates the new ones for real, and a second run of the same file creates nothing', async () => {
    const first = await upload(iconv.encode(MIXED, 'win1252'), false).expect(201);
    expect(first.body).toMatchObject({
      status: 'done',
      createdRows: 4,
      duplicateRows: 2,
      invalidRows: 2,
    });
    const list = await rec.get('/api/v1/employers').query({ limit: 100 }).expect(200);
    expect(list.body.total).toBe(5);
    const akeri = list.body.items.find((e: { name: string }) => e.name === 'Åkeri Nilsson AB');
    expect(akeri).toMatchObject({
      orgNumber: '556016-0680',
      municipality: '1285',
      sector: 'private',
    });
    const detail = await rec.get(`/api/v1/employers/${akeri.id}`).expect(200);
    expect(detail.body.contactPersons).toEqual([
      expect.objectContaining({ email: 'info@akerinilsson.se', isPrimary: true }),
    ]);
    // name keys are written, so the created employers take part in duplicate checks
    const dup = await rec
      .post('/api/v1/employers')
      .send({ name: 'Ny förening', sector: 'association', municipality: '1266' })
      .expect(409);
    expect(dup.body.code).toBe('LIKELY_DUPLICATE');

    const second = await upload(iconv.encode(MIXED, 'win1252'), false).expect(201);
    expect(second.body).toMatchObject({
      createdRows: 0,
      newRows: 0,
      duplicateRows: 6,
      invalidRows: 2,
    });
    expect((await rec.get('/api/v1/employers').expect(200)).body.total).toBe(5);
  });

  it('reads UTF-8 with commas and English headers', async () => {
    const csv =
      '\uFEFFName,Org number,Municipality,Sector\r\n"Lund Data, Konsult AB",,1281,private\r\n';
    const res = await upload(Buffer.from(csv, 'utf8'), true).expect(201);
    expect(res.body).toMatchObject({ newRows: 1, header: { encoding: 'utf-8', delimiter: ',' } });
  });

  it('reports an unusable file as a failed import, and refuses other content types', async () => {
    const res = await upload(Buffer.from('Kolumn A;Kolumn B\r\n1;2\r\n'), true).expect(201);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatch(/name/i);
    await rec.post('/api/v1/employers/imports').send({ file: 'x' }).expect(415);
  });

  it('exports the filtered list as Excel-friendly CSV that imports back as duplicates', async () => {
    const res = await rec
      .get('/api/v1/employers/export.csv')
      .query({ municipality: '1285' })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const body = res.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = body.toString('utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain(';');
    expect(lines).toHaveLength(4); // header + Åkeri + two departments
    expect(text).toContain('Kulturförvaltningen');
    const back = await upload(body, true).expect(201);
    expect(back.body).toMatchObject({ totalRows: 3, duplicateRows: 3, newRows: 0, invalidRows: 0 });
  });
  it('imports a file of several batches, written two at a time, with the same outcome per row', async () => {
    // 1,300 rows = 3 batches of 500: rows repeating a row of an earlier batch (in-file
    // duplicates), rows of the register, invalid rows; totals are added by each batch's commit.
    const lines = ['Företagsnamn;Sektor;Kommun'];
    for (let i = 1; i <= 1300; i++) {
      if (i > 600 && i % 97 === 0) {
        lines.push(`Stora Filen ${i - 600} AB;privat;1285`); // repeats line i - 600 (another batch)
      } else if (i % 89 === 0) {
        lines.push(';privat;1285'); // invalid: no name
      } else {
        lines.push(`Stora Filen ${i} AB;privat;1285`);
      }
    }
    const repeats = [...Array(1300).keys()]
      .map((i) => i + 1)
      .filter((i) => i > 600 && i % 97 === 0);
    const invalid = [...Array(1300).keys()]
      .map((i) => i + 1)
      .filter((i) => i % 89 === 0 && !(i > 600 && i % 97 === 0));
    // a repeat of a line that is itself invalid or a repeat is new, not a duplicate
    const dupes = repeats.filter((i) => (i - 600) % 89 !== 0);
    const before = Number((await t.db.query('SELECT COUNT(*) AS n FROM employer'))[0].n);
    const first = await upload(Buffer.from(lines.join('\n'), 'utf8'), false).expect(201);
    const created = 1300 - invalid.length - dupes.length;
    expect(first.body).toMatchObject({
      status: 'done',
      totalRows: 1300,
      createdRows: created,
      duplicateRows: dupes.length,
      invalidRows: invalid.length,
    });
    const stored = await t.db.query(
      'SELECT total_rows, created_rows, duplicate_rows, invalid_rows FROM employer_import WHERE id = ?',
      [first.body.id],
    );
    expect(stored[0]).toMatchObject({
      total_rows: 1300,
      created_rows: created,
      duplicate_rows: dupes.length,
      invalid_rows: invalid.length,
    });
    const rows = await t.db.query(
      'SELECT line, status, duplicate_of_line FROM employer_import_row WHERE import_id = ? AND status = ? ORDER BY line',
      [first.body.id, 'duplicate'],
    );
    expect(rows.map((r: { line: number }) => r.line)).toEqual(dupes.map((i) => i + 1));
    const after = Number((await t.db.query('SELECT COUNT(*) AS n FROM employer'))[0].n);
    expect(after - before).toBe(created);
    const again = await upload(Buffer.from(lines.join('\n'), 'utf8'), false).expect(201);
    expect(again.body).toMatchObject({
      createdRows: 0,
      duplicateRows: 1300 - invalid.length,
      invalidRows: invalid.length,
    });
  });
});
