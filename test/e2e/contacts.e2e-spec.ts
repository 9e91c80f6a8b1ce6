import { AuthService } from '../../src/auth/auth.service';
import { ContactsService } from '../../src/contacts/contacts.service';
import { Principal } from '../../src/common/request-context';
import { createTestApp, TestApp } from '../helpers/test-app';
import { createOrganisation, createUser } from '../factories/users';

const DAY = 86_400_000;

describe('coordinated employer contact', () => {
  let t: TestApp;
  /** A recruiter of a fresh organisation, speaking through a Bearer token. */
  async function recruiter(orgName?: string, roles: ('recruiter' | 'admin')[] = ['recruiter']) {
    const org = await createOrganisation(t.db, orgName ? { name: orgName } : {});
    const user = await createUser(t.db, roles, { organisation: org });
    const p: Principal = {
      userId: user.id,
      name: user.name,
      email: user.email,
      roles: user.roles,
      organisationId: org.id,
      organisationName: org.name,
      via: 'session',
    };
    const { token } = await t.app.get(AuthService).createToken(p, 'test');
    const auth = { Authorization: `Bearer ${token}` };
    return {
      user,
      org,
      get: (path: string) => t.http().get(path).set(auth),
      post: (path: string, body: object = {}) => t.http().post(path).set(auth).send(body),
      patch: (path: string, body: object = {}) => t.http().patch(path).set(auth).send(body),
      put: (path: string, body: object = {}) => t.http().put(path).set(auth).send(body),
    };
  }
  type Rec = Awaited<ReturnType<typeof recruiter>>;
  let admin: Rec;
  async function employer(extra: object = {}): Promise<string> {
    return (
      await admin
        .post('/api/v1/employers', {
          name: `Arbetsgivare ${Math.random().toString(36).slice(2)}`,
          sector: 'private',
          municipality: '1285',
          confirmNotDuplicate: true,
          ...extra,
        })
        .expect(201)
    ).body.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await recruiter('Administrationen', ['admin']);
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t.close();
  });

  it('grants exactly one of 50 concurrent claims from different organisations, every time', async () => {
    const asking = await Promise.all(
      Array.from({ length: 50 }, (_, i) => recruiter(`Org ${i} ${Date.now()}`)),
    );
    for (let round = 0; round < 3; round++) {
      const id = await employer();
      const started = Date.now();
      const answers = await Promise.all(
        asking.map((r) =>
          r.post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship', days: 5 }),
        ),
      );
      const granted = answers.filter((a) => a.status === 201);
      const refused = answers.filter((a) => a.status === 409);
      expect(granted).toHaveLength(1);
      expect(refused).toHaveLength(49);
      const winner = granted[0].body.claim;
      for (const r of refused) {
        expect(r.body).toMatchObject({
          granted: false,
          decision: 'refused',
          reason: 'CLAIMED_BY_OTHER',
          holder: { organisationId: winner.organisationId },
        });
      }
      const active = await t.db.query(
        `SELECT COUNT(*) AS n FROM contact_claim WHERE employer_id = ? AND status = 'active'`,
        [id],
      );
      expect(Number(active[0].n)).toBe(1);
      process.stdout.write(
        `50 concurrent claims, round ${round + 1}: 1 granted, 49 refused in ${Date.now() - started} ms\n`,
      );
    }
  });

  it('refuses during the cool-off with who, when and the first allowed date, and exempts the owner', async () => {
    const af = await recruiter('Arbetsförmedlingen Eslöv');
    const ame = await recruiter('Arbetsmarknadsenheten Eslöv');
    const owner = await recruiter('Ägarorganisationen');
    const id = await employer({ ownerUserId: owner.user.id });
    t.clock.freeze(new Date('2026-11-18T09:00:00Z'));
    await af
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'internship',
        outcome: 'Intresserad',
      })
      .expect(201);
    t.clock.freeze(new Date('2026-11-21T09:00:00Z'));
    const p = await ame
      .get(`/api/v1/employers/${id}/contact-permission?purpose=internship`)
      .expect(200);
    expect(p.body).toMatchObject({
      decision: 'refused',
      reason: 'COOL_OFF',
      holder: { organisationName: 'Arbetsförmedlingen Eslöv', userId: af.user.id },
      nextAllowedAt: '2026-12-02T09:00:00.000Z',
      ownerUserId: owner.user.id,
    });
    expect(p.body.message).toContain(
      `Arbetsförmedlingen Eslöv (${af.user.name}) kontaktade arbetsgivaren för 3 dagar sedan om praktik`,
    );
    expect(p.body.message).toContain('2026-12-02');
    const claim = await ame
      .post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' })
      .expect(409);
    expect(claim.body.reason).toBe('COOL_OFF');
    const ownerSays = await owner
      .get(`/api/v1/employers/${id}/contact-permission?purpose=internship`)
      .expect(200);
    expect(ownerSays.body).toMatchObject({ decision: 'allowed', exemption: 'owner' });
    // the per-employer override shortens the cool-off
    await admin.patch(`/api/v1/employers/${id}`, { minDaysBetweenContacts: 2 }).expect(200);
    await ame
      .get(`/api/v1/employers/${id}/contact-permission?purpose=internship`)
      .expect(200)
      .expect((r) => expect(r.body.decision).toBe('allowed'));
  });

  it('never lets anyone past do-not-contact, not even the owner, until it lifts', async () => {
    const owner = await recruiter();
    const id = await employer({
      ownerUserId: owner.user.id,
      status: 'do_not_contact',
      doNotContactReason: 'Vill inte bli kontaktade före sommaren',
      doNotContactUntil: '2027-06-01',
    });
    const r = await owner
      .post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' })
      .expect(409);
    expect(r.body).toMatchObject({
      reason: 'DO_NOT_CONTACT',
      nextAllowedAt: '2027-06-01T00:00:00.000Z',
    });
    t.clock.freeze(new Date('2027-06-02T08:00:00Z'));
    await owner
      .post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' })
      .expect(201);
  });

  it('lets a claim expire by itself (checked when read, and by the job), and be released', async () => {
    const a = await recruiter('Org A claims');
    const b = await recruiter('Org B waits');
    const id = await employer();
    const claim = (
      await a
        .post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'recruitment', days: 2 })
        .expect(201)
    ).body.claim;
    await b
      .get(`/api/v1/employers/${id}/contact-permission?purpose=recruitment`)
      .expect(200)
      .expect((r) =>
        expect(r.body).toMatchObject({
          decision: 'refused',
          reason: 'CLAIMED_BY_OTHER',
          holder: { organisationName: 'Org A claims' },
        }),
      );
    await a
      .post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'recruitment', days: 15 })
      .expect(400);
    t.clock.advance(2 * DAY + 1000);
    await b
      .get(`/api/v1/employers/${id}/contact-permission?purpose=recruitment`)
      .expect(200)
      .expect((r) => expect(r.body.decision).toBe('allowed'));
    const listed = await a.get(`/api/v1/employers/${id}/contact-claims`).expect(200);
    expect(listed.body[0]).toMatchObject({ id: claim.id, status: 'expired' });
    expect(await t.app.get(ContactsService).expireClaims()).toBeGreaterThanOrEqual(1);
    const row = await t.db.query('SELECT status FROM contact_claim WHERE id = ?', [claim.id]);
    expect(row[0].status).toBe('expired');

    const second = (
      await b.post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'recruitment' }).expect(201)
    ).body.claim;
    await a.post(`/api/v1/contact-claims/${second.id}/release`).expect(404); // not theirs
    await b
      .post(`/api/v1/contact-claims/${second.id}/release`)
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('released'));
    await a
      .get(`/api/v1/employers/${id}/contact-permission?purpose=recruitment`)
      .expect(200)
      .expect((r) => expect(r.body.decision).toBe('allowed'));
  });

  it('marks the claim used when its holder logs the contact; a contact without a claim that breaks the policy is saved and flagged', async () => {
    const a = await recruiter('Org A holder');
    const b = await recruiter('Org B caller');
    const id = await employer();
    const claim = (
      await a.post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' }).expect(201)
    ).body.claim;
    const logged = await a
      .post(`/api/v1/employers/${id}/contacts`, { channel: 'visit', purpose: 'internship' })
      .expect(201);
    expect(logged.body).toMatchObject({
      policyBreach: false,
      claimId: claim.id,
      organisationName: 'Org A holder',
    });
    expect(
      (await t.db.query('SELECT status FROM contact_claim WHERE id = ?', [claim.id]))[0].status,
    ).toBe('used');
    const breach = await b
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'recruitment',
        note: 'Arbetsgivaren ringde oss',
      })
      .expect(201);
    expect(breach.body).toMatchObject({
      policyBreach: true,
      breachReason: 'COOL_OFF',
      organisationName: 'Org B caller',
    });
  });

  it('takes the acting organisation and user from the session, never from the body', async () => {
    const a = await recruiter('Den riktiga organisationen');
    const other = await recruiter('En annan organisation');
    const id = await employer();
    const res = await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'other',
        organisationId: other.org.id,
      })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'organisationId', message: 'property organisationId should not exist' },
    ]);
    await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'other',
        userId: other.user.id,
      })
      .expect(400);
    const ok = await a
      .post(`/api/v1/employers/${id}/contacts`, { channel: 'phone', purpose: 'other' })
      .expect(201);
    expect(ok.body).toMatchObject({ organisationId: a.org.id, userId: a.user.id });
  });

  it('shows one timeline across organisations, newest first, with filters', async () => {
    const a = await recruiter('Tidslinje A');
    const b = await recruiter('Tidslinje B');
    const id = await employer();
    t.clock.freeze(new Date('2026-10-01T10:00:00Z'));
    await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'internship',
        occurredAt: '2026-09-01T10:00:00Z',
      })
      .expect(201);
    await b
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'email',
        purpose: 'recruitment',
        occurredAt: '2026-09-20T10:00:00Z',
      })
      .expect(201);
    await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'visit',
        purpose: 'internship',
        occurredAt: '2026-09-10T10:00:00Z',
      })
      .expect(201);
    await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'visit',
        purpose: 'internship',
        occurredAt: '2026-12-10T10:00:00Z',
      })
      .expect(400);
    const all = await b.get(`/api/v1/employers/${id}/contacts`).expect(200);
    expect(
      all.body.items.map((e: { occurredAt: string; organisationName: string }) => [
        e.occurredAt.slice(0, 10),
        e.organisationName,
      ]),
    ).toEqual([
      ['2026-09-20', 'Tidslinje B'],
      ['2026-09-10', 'Tidslinje A'],
      ['2026-09-01', 'Tidslinje A'],
    ]);
    const byOrg = await b
      .get(`/api/v1/employers/${id}/contacts?organisationId=${a.org.id}&channel=visit`)
      .expect(200);
    expect(byOrg.body.total).toBe(1);
    const byPurpose = await b
      .get(`/api/v1/employers/${id}/contacts?purpose=recruitment`)
      .expect(200);
    expect(byPurpose.body.items[0].channel).toBe('email');
  });

  it('lists my next steps and my organisation’s, overdue first, until marked done', async () => {
    const a = await recruiter('Nästa steg');
    const id = await employer();
    t.clock.freeze(new Date('2026-11-25T10:00:00Z')); // a Wednesday
    const overdue = (
      await a
        .post(`/api/v1/employers/${id}/contacts`, {
          channel: 'phone',
          purpose: 'internship',
          nextStepAt: '2026-11-20',
        })
        .expect(201)
    ).body;
    const later = (
      await a
        .post(`/api/v1/employers/${id}/contacts`, {
          channel: 'phone',
          purpose: 'internship',
          nextStepAt: '2026-11-27',
        })
        .expect(201)
    ).body;
    await a
      .post(`/api/v1/employers/${id}/contacts`, {
        channel: 'phone',
        purpose: 'internship',
        nextStepAt: '2026-12-15',
      })
      .expect(201);
    const mine = await a.get('/api/v1/contacts/next-steps').expect(200);
    expect(
      mine.body.map((s: { contact: { id: string }; overdue: boolean }) => [
        s.contact.id,
        s.overdue,
      ]),
    ).toEqual([
      [overdue.id, true],
      [later.id, false],
    ]);
    await a.post(`/api/v1/contacts/${overdue.id}/next-step-done`).expect(200);
    const org = await a.get('/api/v1/contacts/next-steps?scope=organisation').expect(200);
    expect(org.body.map((s: { contact: { id: string } }) => s.contact.id)).toEqual([later.id]);
  });

  it('counts contacts, claims, refusals and breaches for the statistics', async () => {
    const a = await recruiter('Statistik A');
    const b = await recruiter('Statistik B');
    const id = await employer();
    t.clock.freeze(new Date('2026-08-10T10:00:00Z'));
    await a.post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' }).expect(201);
    await b.post(`/api/v1/employers/${id}/contact-claims`, { purpose: 'internship' }).expect(409);
    await a
      .post(`/api/v1/employers/${id}/contacts`, { channel: 'phone', purpose: 'internship' })
      .expect(201);
    await b
      .post(`/api/v1/employers/${id}/contacts`, { channel: 'email', purpose: 'internship' })
      .expect(201); // breach
    const stats = await a
      .get('/api/v1/contacts/statistics?from=2026-08-01&to=2026-09-01')
      .expect(200);
    expect(stats.body.totals).toEqual({
      contacts: 2,
      breaches: 1,
      automatedEmails: 0,
      claimsGranted: 1,
      claimsRefused: 1,
      doubleContactsPrevented: 1,
    });
    expect(stats.body.contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          organisationName: 'Statistik B',
          purpose: 'internship',
          channel: 'email',
          contacts: 1,
          breaches: 1,
        }),
      ]),
    );
    expect(stats.body.refusals).toEqual([
      expect.objectContaining({
        organisationName: 'Statistik B',
        reason: 'CLAIMED_BY_OTHER',
        refused: 1,
      }),
    ]);
    await a.get('/api/v1/contacts/statistics?from=yesterday&to=2026-09-01').expect(400);
  });

  it('moves contacts and claims along when employers are merged', async () => {
    const a = await recruiter('Sammanslagning');
    const survivor = await employer();
    const merged = await employer();
    await a
      .post(`/api/v1/employers/${merged}/contacts`, { channel: 'phone', purpose: 'internship' })
      .expect(201);
    const preview = await admin
      .get(`/api/v1/employers/${survivor}/merge-preview?mergedId=${merged}`)
      .expect(200);
    expect(preview.body.moves).toMatchObject({ contactEvents: 1 });
    await admin.post(`/api/v1/employers/${survivor}/merge`, { mergedId: merged }).expect(200);
    const timeline = await a.get(`/api/v1/employers/${survivor}/contacts`).expect(200);
    expect(timeline.body.total).toBe(1);
    await a
      .post(`/api/v1/employers/${merged}/contact-claims`, { purpose: 'internship' })
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('EMPLOYER_MERGED'));
  });

  it('lets admins set the global cool-off', async () => {
    const a = await recruiter('Inställningar');
    const b = await recruiter('Inställningar B');
    const id = await employer();
    await a
      .post(`/api/v1/employers/${id}/contacts`, { channel: 'phone', purpose: 'internship' })
      .expect(201);
    await b
      .get(`/api/v1/employers/${id}/contact-permission?purpose=internship`)
      .expect(200)
      .expect((r) => expect(r.body.reason).toBe('COOL_OFF'));
    await a.put('/api/v1/settings', { minDaysBetweenContacts: 0 }).expect(403);
    await admin.put('/api/v1/settings', { minDaysBetweenContacts: 400 }).expect(400);
    await admin
      .put('/api/v1/settings', { minDaysBetweenContacts: 0 })
      .expect(200)
      .expect((r) => expect(r.body.minDaysBetweenContacts).toBe(0));
    await b
      .get(`/api/v1/employers/${id}/contact-permission?purpose=internship`)
      .expect(200)
      .expect((r) => expect(r.body.decision).toBe('allowed'));
    await admin.put('/api/v1/settings', { minDaysBetweenContacts: 14 }).expect(200);
  });
});
