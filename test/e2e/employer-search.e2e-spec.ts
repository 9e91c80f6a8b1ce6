import { newId } from '../../src/database/base.entity';
import { normalizeEmployerName, normalizeUnitName } from '../../src/employers/duplicates';
import { Employer } from '../../src/employers/employer.entity';
import { writeNameIndex } from '../../src/employers/name-index';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';

/**
 * The plain name search (EmployerNameSearch: one statement over the search-word index, with
 * cached prefix expansions and counts) must answer exactly as the general query does. Any filter
 * sends a search down the general path; every employer here is `active`, so `status=active`
 * selects the same employers there.
 */
describe('employer name search (fast path = general query)', () => {
  let t: TestApp;
  let rec: ReturnType<TestApp['agent']>;
  let recruiter: Awaited<ReturnType<typeof createUser>>;

  const TRADES = ['Bageri', 'Bygg', 'Måleri', 'Café', 'Frisör', 'Städ', 'Data', 'Trädgård'];

  beforeAll(async () => {
    t = await createTestApp();
    recruiter = await createUser(t.db, ['recruiter'], {
      organisation: await createOrganisation(t.db, { name: 'Arbetsförmedlingen Hässleholm' }),
    });
    rec = t.agent();
    await rec
      .post('/api/v1/auth/login')
      .send({ email: recruiter.email, password: TEST_PASSWORD })
      .expect(200);

    // 60 "Vittsjö …" (one common word, more than one page), 16 compounds "Vittsjöbageri …" (rare
    // words sharing the prefix), "Vittsjös …" (genitive), departments with units, archived ones.
    const rows: { name: string; unit: string | null; archived: boolean; owner: boolean }[] = [];
    for (let i = 0; i < 60; i++) {
      rows.push({
        name: `Vittsjö ${TRADES[i % TRADES.length]} ${String.fromCharCode(65 + (i % 26))}${i}`,
        unit: null,
        archived: i % 9 === 4,
        owner: i % 3 === 0,
      });
    }
    for (let i = 0; i < 16; i++) {
      rows.push({
        name: `Vittsjö${TRADES[i % TRADES.length].toLowerCase()} ${i} AB`,
        unit: null,
        archived: false,
        owner: false,
      });
    }
    for (let i = 0; i < 6; i++) {
      rows.push({ name: `Vittsjös Bygg Nr ${i}`, unit: null, archived: false, owner: i === 0 });
    }
    for (let i = 0; i < 8; i++) {
      rows.push({
        name: `Hässleholms kommun ${i}`,
        unit: `${i % 2 ? 'Förskolan' : 'Fritidsgården'} Vittsjö ${i}`,
        archived: i === 3,
        owner: false,
      });
    }
    const employers = rows.map((r) => ({
      id: newId(),
      name: r.name,
      normalizedName: normalizeEmployerName(r.name),
      orgNumber: null,
      orgNumberIsPersonnummer: false,
      unitName: r.unit,
      normalizedUnitName: normalizeUnitName(r.unit),
      sector: 'private' as const,
      municipality: '1293',
      segments: [],
      status: 'active' as const,
      ownerUserId: r.owner ? recruiter.id : null,
      archivedAt: r.archived ? new Date() : null,
    }));
    await t.db.transaction(async (m) => {
      await m.createQueryBuilder().insert().into(Employer).values(employers).execute();
      await writeNameIndex(m, employers, { fresh: true });
    });
  });
  afterAll(async () => {
    await t.close();
  });

  type Listed = { id: string; name: string; ownerName: string | null; unitName: string | null };
  async function list(query: Record<string, string | number | boolean>) {
    const res = await rec.get('/api/v1/employers').query(query).expect(200);
    return res.body as { items: Listed[]; total: number; totalCapped: boolean };
  }

  const searches = [
    'vittsjo', // one common word
    'vitt', // a prefix of the common word, the compounds and the genitive
    'vittsjos', // genitive: the "s" is dropped, so it is a prefix again
    'vittsjo bageri', // two words: the other one inside the index entry
    'bageri vittsjo', // the same, in the other order
    'vittsjobageri', // a rare compound word
    'forskolan', // a word of the unit only
    'hassleholm vittsjo', // name word + unit word
    'vittsjo a0', // a word that only starts a word
    'vittsjo zzz', // no match for the second word
    'qqqq', // no word starts with it
  ];

  it.each(searches)(
    '"%s" gives the same pages, order and total as the general query',
    async (q) => {
      for (const sort of ['name', '-name']) {
        for (const includeArchived of [false, true]) {
          for (const page of [1, 2, 3]) {
            const query = { q, sort, includeArchived, page, limit: 10 };
            const fast = await list(query);
            const general = await list({ ...query, status: 'active' });
            expect(fast.items.map((e) => e.id)).toEqual(general.items.map((e) => e.id));
            expect(fast.items).toEqual(general.items);
            expect(fast.total).toBe(general.total);
          }
        }
      }
    },
  );

  it('finds what it should (not just the same as the general query)', async () => {
    const common = await list({ q: 'vittsjo', limit: 100 });
    // 60 "Vittsjö …" less 7 archived, 6 genitive "Vittsjös" ("vittsjos" starts with "vittsjo"),
    // 7 units "… Vittsjö" not archived; the compounds ("vittsjobageri") too: a prefix.
    expect(common.total).toBe(53 + 6 + 7 + 16);
    const names = common.items.map((e) => e.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'sv')));
    const two = await list({ q: 'bageri vittsjo', limit: 100 });
    expect(two.items.map((e) => e.name).every((n) => /Vittsjö.*Bageri/i.test(n))).toBe(true);
    expect(two.total).toBe(two.items.length);
    const unit = await list({ q: 'forskolan' });
    expect(unit.items.map((e) => e.unitName)).toEqual([
      'Förskolan Vittsjö 1',
      'Förskolan Vittsjö 5',
      'Förskolan Vittsjö 7',
    ]);
    const owned = common.items.filter((e) => e.ownerName === recruiter.name);
    expect(owned.length).toBeGreaterThan(10);
  });

  it('shows a new, renamed or archived employer in the next search at once (caches are forgotten)', async () => {
    const before = await list({ q: 'zyxel' }); // nothing starts with it: not cached
    expect(before.total).toBe(0);
    const vitt = await list({ q: 'vittsjo' }); // now cached: the expansion and the count
    const created = await rec
      .post('/api/v1/employers')
      .send({ name: 'Zyxel Vittsjö AB', sector: 'private', municipality: '1293' })
      .expect(201);
    expect((await list({ q: 'zyxel' })).items.map((e) => e.id)).toEqual([created.body.id]);
    expect((await list({ q: 'vittsjo' })).total).toBe(vitt.total + 1);
    // a new word behind a cached prefix ("vitt" → "vittsjozyx")
    expect((await list({ q: 'vitt' })).total).toBe(vitt.total + 1);
    await rec
      .patch(`/api/v1/employers/${created.body.id}`)
      .send({ name: 'Vittsjözyx AB' })
      .expect(200);
    expect((await list({ q: 'vitt' })).total).toBe(vitt.total + 1);
    expect((await list({ q: 'vittsjozyx' })).items.map((e) => e.id)).toEqual([created.body.id]);
    expect((await list({ q: 'zyxel' })).total).toBe(0);
    await rec.post(`/api/v1/employers/${created.body.id}/archive`).expect(200);
    expect((await list({ q: 'vitt' })).total).toBe(vitt.total);
    expect((await list({ q: 'vittsjozyx' })).total).toBe(0);
  });
});
