import { newId } from '../../src/database/base.entity';
import { insertRows, RowMapper } from '../../src/database/row-mapper';
import { Employer } from '../../src/employers/employer.entity';
import { User } from '../../src/organisations/user.entity';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createUser } from '../factories/users';

/** The hand-written bulk insert and row reading must store and read exactly what TypeORM does. */
describe('insertRows and RowMapper (against TypeORM itself)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const employer = (over: Partial<Employer> = {}) =>
    t.db.getRepository(Employer).create({
      id: newId(),
      name: 'Hörby Trädgård & Café AB',
      normalizedName: 'horby tradgard cafe',
      orgNumber: '5560160680',
      orgNumberIsPersonnummer: false,
      unitName: 'Växthuset',
      normalizedUnitName: 'vaxthuset',
      sector: 'private',
      industry: 'Trädgård',
      sizeClass: null,
      segments: ['iop_partner', 'social_enterprise'],
      municipality: '1266',
      address: 'Storgatan 1',
      website: null,
      ownerUserId: null,
      status: 'do_not_contact',
      minDaysBetweenContacts: 30,
      preferredChannel: 'email',
      doNotContactReason: 'Bad tid',
      doNotContactUntil: new Date('2027-01-31T12:34:56.789Z'),
      mergedIntoId: null,
      archivedAt: null,
      ...over,
    });

  it('stores what TypeORM stores, and reads back what TypeORM reads', async () => {
    const owner = await createUser(t.db, ['recruiter']);
    const viaTypeorm = employer({ ownerUserId: owner.id });
    const viaRows = employer({ ownerUserId: owner.id, orgNumber: '2120000142' });
    await t.db.getRepository(Employer).insert(viaTypeorm);
    await t.db.transaction((m) => insertRows(m, Employer, [viaRows]));
    const [a, b] = await Promise.all(
      [viaTypeorm.id, viaRows.id].map((id) =>
        t.db.getRepository(Employer).findOneOrFail({ where: { id }, relations: { owner: true } }),
      ),
    );
    const strip = (e: Employer) => ({ ...e, id: '', orgNumber: '', createdAt: 0, updatedAt: 0 });
    expect(strip(b)).toEqual(strip(a));
    expect([...b.segments].sort()).toEqual(['iop_partner', 'social_enterprise']);
    expect(b.doNotContactUntil?.toISOString()).toBe('2027-01-31T12:34:56.789Z');

    const employers = new RowMapper(t.db, Employer, 'e');
    const owners = new RowMapper(t.db, User, 'o', ['id', 'name']);
    const rows: Record<string, unknown>[] = await t.db.query(
      `SELECT ${employers.select}, ${owners.select} FROM employer e
       LEFT JOIN \`user\` o ON o.id = e.owner_user_id WHERE e.id = ?`,
      [viaRows.id],
    );
    const mapped = employers.map(rows[0])!;
    mapped.owner = owners.map(rows[0]);
    expect({ ...mapped, owner: null }).toEqual({ ...b, owner: null });
    expect([mapped.owner?.id, mapped.owner?.name]).toEqual([owner.id, owner.name]);
    expect(Object.keys(rows[0])).not.toContain('o__password_hash');
  });

  it('refuses rows that set a column only some of the time (it cannot say DEFAULT per row)', async () => {
    const partial = employer();
    delete (partial as Partial<Employer>).industry;
    await expect(
      t.db.transaction((m) => insertRows(m, Employer, [employer(), partial])),
    ).rejects.toThrow(/industry set in some rows only/);
  });
});
