import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';

describe('employer register (API)', () => {
  let t: TestApp;
  let rec: ReturnType<TestApp['agent']>;
  let recruiter: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    recruiter = await createUser(t.db, ['recruiter'], {
      organisation: await createOrganisation(t.db, { name: 'Arbetsförmedlingen Eslöv' }),
    });
    rec = t.agent();
    await rec
      .post('/api/v1/auth/login')
      .send({ email: recruiter.email, password: TEST_PASSWORD })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates an employer with a normalised org number in any of the three formats', async () => {
    const a = await rec
      .post('/api/v1/employers')
      .send({
        name: 'Volvo Personvagnar AB',
        orgNumber: '165560160680',
        sector: 'private',
        municipality: '1280',
      })
      .expect(201);
    expect(a.body).toMatchObject({
      name: 'Volvo Personvagnar AB',
      orgNumber: '556016-0680',
      orgNumberIsPersonnummer: false,
      status: 'prospect',
      possibleDuplicates: [],
    });
    const stored = await t.db.query('SELECT org_number FROM employer WHERE id = ?', [a.body.id]);
    expect(stored[0].org_number).toBe('5560160680');
    // the same org number and unit again, in another format: certain duplicate, always refused
    const again = await rec
      .post('/api/v1/employers')
      .send({
        name: 'Volvo PV',
        orgNumber: '5560160680',
        sector: 'private',
        confirmNotDuplicate: true,
      })
      .expect(409);
    expect(again.body.code).toBe('EMPLOYER_EXISTS');
    expect(again.body.candidates[0]).toMatchObject({
      id: a.body.id,
      level: 'certain',
      reason: 'same_org_number_and_unit',
    });
  });

  it('refuses a likely duplicate with 409 listing candidates, and creates it when confirmed (audited)', async () => {
    const first = await rec
      .post('/api/v1/employers')
      .send({ name: 'Café Åkerlund AB', sector: 'private', municipality: '1285' })
      .expect(201);
    const dup = await rec
      .post('/api/v1/employers')
      .send({ name: 'Cafe Akerlund', sector: 'private', municipality: '1285' })
      .expect(409);
    expect(dup.headers['content-type']).toMatch(/problem\+json/);
    expect(dup.body).toMatchObject({ code: 'LIKELY_DUPLICATE', status: 409 });
    expect(dup.body.candidates).toEqual([
      expect.objectContaining({
        id: first.body.id,
        level: 'likely',
        reason: 'same_normalized_name',
        score: expect.any(Number),
      }),
    ]);
    const check = await rec
      .get('/api/v1/employers/duplicate-candidates')
      .query({ name: 'cafe åkerlund', municipality: '1285' })
      .expect(200);
    expect(check.body[0]).toMatchObject({ level: 'likely', employer: { id: first.body.id } });
    const forced = await rec
      .post('/api/v1/employers')
      .send({
        name: 'Cafe Akerlund',
        sector: 'private',
        municipality: '1285',
        confirmNotDuplicate: true,
      })
      .expect(201);
    const audit = await t.db.query(
      `SELECT detail FROM audit_event WHERE action = 'employer.create' AND entity_id = ?`,
      [forced.body.id],
    );
    const detail =
      typeof audit[0].detail === 'string' ? JSON.parse(audit[0].detail) : audit[0].detail;
    expect(detail.confirmedNotDuplicateOf).toEqual([first.body.id]);
  });

  it('lets municipal departments share the municipality’s org number, told apart by unit', async () => {
    const base = { orgNumber: '212000-1124', sector: 'municipal_department', municipality: '1285' };
    await rec
      .post('/api/v1/employers')
      .send({ ...base, name: 'Eslövs kommun', unitName: 'Kulturförvaltningen' })
      .expect(201);
    await rec
      .post('/api/v1/employers')
      .send({ ...base, name: 'Eslövs kommun', unitName: 'Fritidsförvaltningen' })
      .expect(201);
    const same = await rec
      .post('/api/v1/employers')
      .send({ ...base, name: 'Eslövs kommun', unitName: 'kulturförvaltningen ' })
      .expect(409);
    expect(same.body.code).toBe('EMPLOYER_EXISTS');
  });

  it('accepts a sole trader’s personnummer and masks it in lists', async () => {
    const created = await rec
      .post('/api/v1/employers')
      .send({
        name: 'Anna Svensson Måleri',
        orgNumber: '19811218-9876',
        sector: 'private',
        municipality: '1285',
      })
      .expect(201);
    expect(created.body.orgNumberIsPersonnummer).toBe(true);
    const list = await rec.get('/api/v1/employers').query({ q: 'svensson maleri' }).expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].orgNumber).not.toContain('9876');
  });

  it('validates fields with clear messages', async () => {
    const res = await rec
      .post('/api/v1/employers')
      .send({
        name: '',
        orgNumber: '556016-0681',
        sector: 'bank',
        municipality: 'Eslöv',
        website: 'javascript:alert(1)',
      })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['municipality', 'name', 'orgNumber', 'sector', 'website']);
    const dnc = await rec
      .post('/api/v1/employers')
      .send({ name: 'Spärrad AB', sector: 'private', status: 'do_not_contact' })
      .expect(400);
    expect(dnc.body.errors[0].field).toBe('doNotContactReason');
  });

  it('searches, filters, sorts from an allow-list and paginates; "my employers" by owner', async () => {
    await rec
      .post('/api/v1/employers')
      .send({
        name: 'Lunds Bygg & Måleri HB',
        sector: 'private',
        municipality: '1281',
        ownerUserId: recruiter.id,
      })
      .expect(201);
    await rec
      .post('/api/v1/employers')
      .send({
        name: 'Yalla Trappan',
        sector: 'social_enterprise',
        municipality: '1280',
        segments: ['social_enterprise', 'iop_partner'],
      })
      .expect(201);
    const q = await rec.get('/api/v1/employers').query({ q: 'bygg maleri' }).expect(200);
    expect(q.body.items.map((e: { name: string }) => e.name)).toEqual(['Lunds Bygg & Måleri HB']);
    const seg = await rec.get('/api/v1/employers').query({ segment: 'iop_partner' }).expect(200);
    expect(seg.body.items.map((e: { name: string }) => e.name)).toEqual(['Yalla Trappan']);
    const mine = await rec.get('/api/v1/employers').query({ owner: 'me' }).expect(200);
    expect(
      mine.body.items.map((e: { name: string; ownerName: string }) => [e.name, e.ownerName]),
    ).toEqual([['Lunds Bygg & Måleri HB', recruiter.name]]);
    const org = await rec.get('/api/v1/employers').query({ q: '556016' }).expect(200);
    expect(org.body.items[0].name).toBe('Volvo Personvagnar AB');
    const paged = await rec
      .get('/api/v1/employers')
      .query({ limit: 2, page: 2, sort: '-name' })
      .expect(200);
    expect(paged.body).toMatchObject({ page: 2, limit: 2 });
    expect(paged.body.total).toBeGreaterThan(4);
    await rec.get('/api/v1/employers').query({ sort: 'name; DROP TABLE employer' }).expect(400);
  });

  it('manages contact persons with strict emails and one primary', async () => {
    const e = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Hörby Trädgård AB', sector: 'private', municipality: '1266' })
        .expect(201)
    ).body;
    const p1 = await rec
      .post(`/api/v1/employers/${e.id}/contact-persons`)
      .send({ name: 'Maria Holm', email: 'Maria.Holm@Horbytradgard.se', isPrimary: true })
      .expect(201);
    expect(p1.body.email).toBe('maria.holm@horbytradgard.se');
    await rec
      .post(`/api/v1/employers/${e.id}/contact-persons`)
      .send({ name: 'X', email: '"x"@y.se' })
      .expect(400);
    await rec
      .post(`/api/v1/employers/${e.id}/contact-persons`)
      .send({ name: 'Per Ek', phone: '0415-123 45', isPrimary: true })
      .expect(201);
    const detail = await rec.get(`/api/v1/employers/${e.id}`).expect(200);
    expect(
      detail.body.contactPersons
        .filter((c: { isPrimary: boolean }) => c.isPrimary)
        .map((c: { name: string }) => c.name),
    ).toEqual(['Per Ek']);
  });

  it('audits owner changes and archives', async () => {
    const e = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Sjöbo Bageri AB', sector: 'private', municipality: '1265' })
        .expect(201)
    ).body;
    await rec
      .patch(`/api/v1/employers/${e.id}`)
      .send({ ownerUserId: recruiter.id })
      .expect(200)
      .expect((r) => expect(r.body.ownerUserId).toBe(recruiter.id));
    const ev = await t.db.query(
      `SELECT actor_user_id FROM audit_event WHERE action = 'employer.owner_change' AND entity_id = ?`,
      [e.id],
    );
    expect(ev).toEqual([{ actor_user_id: recruiter.id }]);
    const coordinator = await createUser(t.db, ['coordinator']);
    await rec.patch(`/api/v1/employers/${e.id}`).send({ ownerUserId: coordinator.id }).expect(400);
    await rec.post(`/api/v1/employers/${e.id}/archive`).expect(200);
    const list = await rec.get('/api/v1/employers').query({ q: 'sjobo bageri' }).expect(200);
    expect(list.body.total).toBe(0);
    const withArchived = await rec
      .get('/api/v1/employers')
      .query({ q: 'sjobo bageri', includeArchived: 'true' })
      .expect(200);
    expect(withArchived.body.total).toBe(1);
  });

  it('redirects a merged (tombstoned) employer to its survivor', async () => {
    const a = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Överlevaren AB', sector: 'private' })
        .expect(201)
    ).body;
    const b = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Tombstone AB', sector: 'private' })
        .expect(201)
    ).body;
    await t.db.query('UPDATE employer SET merged_into_id = ? WHERE id = ?', [a.id, b.id]);
    const res = await rec.get(`/api/v1/employers/${b.id}`).expect(301);
    expect(res.headers.location).toBe(`/api/v1/employers/${a.id}`);
  });

  it('is refused to supervisors and anonymous callers', async () => {
    await t.http().get('/api/v1/employers').expect(401);
    const sup = await createUser(t.db, ['supervisor']);
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: sup.email, password: TEST_PASSWORD })
      .expect(200);
    await agent.get('/api/v1/employers').expect(403);
  });
});

describe('employer merge and duplicate review', () => {
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  let rec: ReturnType<TestApp['agent']>;
  let recruiter: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await createOrganisation(t.db);
    const a = await createUser(t.db, ['admin'], { organisation: org });
    recruiter = await createUser(t.db, ['recruiter'], { organisation: org });
    admin = t.agent();
    rec = t.agent();
    await admin
      .post('/api/v1/auth/login')
      .send({ email: a.email, password: TEST_PASSWORD })
      .expect(200);
    await rec
      .post('/api/v1/auth/login')
      .send({ email: recruiter.email, password: TEST_PASSWORD })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('previews, then merges B into A in one transaction, leaving a tombstone that redirects', async () => {
    const a = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Bageriet Höör AB', sector: 'private', municipality: '1267' })
        .expect(201)
    ).body;
    const b = (
      await rec.post('/api/v1/employers').send({
        name: 'Bageriet i Höör',
        orgNumber: '556677-8899',
        sector: 'private',
        municipality: '1267',
        website: 'https://bageriet.se',
        confirmNotDuplicate: true,
      })
    ).body;
    expect(b.id).toBeDefined();
    await rec
      .post(`/api/v1/employers/${b.id}/contact-persons`)
      .send({ name: 'Lena Bagare', email: 'lena@bageriet.se' })
      .expect(201);
    await rec
      .post(`/api/v1/employers/${b.id}/contact-persons`)
      .send({ name: 'Olle Deg' })
      .expect(201);

    const preview = await admin
      .get(`/api/v1/employers/${a.id}/merge-preview`)
      .query({ mergedId: b.id })
      .expect(200);
    expect(preview.body).toMatchObject({
      moves: { contactPersons: 2 },
      allowed: true,
      survivor: { id: a.id },
      merged: { id: b.id },
    });
    expect(preview.body.fillsIn).toEqual(expect.arrayContaining(['website']));
    // a recruiter who owns neither may not merge
    const denied = await rec
      .post(`/api/v1/employers/${a.id}/merge`)
      .send({ mergedId: b.id })
      .expect(403);
    expect(denied.body.detail).toMatch(/owner of both/);

    const merged = await admin
      .post(`/api/v1/employers/${a.id}/merge`)
      .send({ mergedId: b.id })
      .expect(200);
    expect(merged.body).toMatchObject({
      moved: { contactPersons: 2 },
      survivor: { id: a.id, website: 'https://bageriet.se' },
    });
    const detail = await rec.get(`/api/v1/employers/${a.id}`).expect(200);
    expect(detail.body.contactPersons.map((c: { name: string }) => c.name).sort()).toEqual([
      'Lena Bagare',
      'Olle Deg',
    ]);
    expect(detail.body.orgNumber).toBe('556677-8899');
    const redirect = await rec.get(`/api/v1/employers/${b.id}`).expect(301);
    expect(redirect.headers.location).toBe(`/api/v1/employers/${a.id}`);
    // the tombstone is gone from lists and duplicate checks
    const list = await rec.get('/api/v1/employers').query({ q: 'bageriet' }).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([a.id]);
    await admin.post(`/api/v1/employers/${a.id}/merge`).send({ mergedId: b.id }).expect(409);
    const audit = await admin
      .get('/api/v1/audit-events')
      .query({ action: 'employer.merge', entityId: a.id })
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('lets the owner of both merge them', async () => {
    const mk = (name: string) =>
      rec
        .post('/api/v1/employers')
        .send({
          name,
          sector: 'private',
          municipality: '1285',
          ownerUserId: recruiter.id,
          confirmNotDuplicate: true,
        })
        .expect(201);
    const a = (await mk('Eslövs Städ AB')).body;
    const b = (await mk('Eslövs Städ')).body;
    await rec.post(`/api/v1/employers/${a.id}/merge`).send({ mergedId: b.id }).expect(200);
  });

  it('lists possible duplicate pairs across the register, and forgets a pair marked not duplicate', async () => {
    const a = (
      await rec
        .post('/api/v1/employers')
        .send({ name: 'Trelleborgs Måleri AB', sector: 'private', municipality: '1287' })
        .expect(201)
    ).body;
    const b = (
      await rec
        .post('/api/v1/employers')
        .send({
          name: 'Trelleborgs Måleri',
          sector: 'private',
          municipality: '1287',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body;
    const pairs = await rec.get('/api/v1/employers/possible-duplicates').expect(200);
    const has = (list: { a: { id: string }; b: { id: string } }[]) =>
      list.some((p) => [p.a.id, p.b.id].sort().join() === [a.id, b.id].sort().join());
    expect(has(pairs.body)).toBe(true);
    await rec.post(`/api/v1/employers/${b.id}/not-duplicate`).send({ otherId: a.id }).expect(204);
    const after = await rec.get('/api/v1/employers/possible-duplicates').expect(200);
    expect(has(after.body)).toBe(false);
    const check = await rec
      .get('/api/v1/employers/duplicate-candidates')
      .query({ name: 'Trelleborgs Måleri', municipality: '1287' })
      .expect(200);
    expect(check.body.length).toBeGreaterThan(0); // a new candidate is still checked against both
  });
});
