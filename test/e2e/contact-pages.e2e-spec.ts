import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { createTestApp, TestApp } from '../helpers/test-app';

type Agent = ReturnType<TestApp['agent']>;
type User = Awaited<ReturnType<typeof createUser>>;

const DAY = 86_400_000;

/** Pulls the CSRF token out of a rendered form. */
function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) {
    throw new Error('no CSRF token in page');
  }
  return m[1];
}

/** The text of an element found by its data-testid (first match), tags stripped. */
function byTestId(html: string, id: string): string | null {
  const m = new RegExp(`<([a-z0-9]+)[^>]*data-testid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return m
    ? m[2]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    : null;
}

/** The rows of the contact history, as text. */
function historyRows(html: string): string[] {
  return [...html.matchAll(/<tr data-testid="contact-row"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** yyyy-MM-dd in Stockholm, as the banner writes dates. */
function stockholmDate(d: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

describe('contact pages: banner, claims, contact log, history, next steps, settings', () => {
  let t: TestApp;
  let orgA: Awaited<ReturnType<typeof createOrganisation>>;
  let orgB: Awaited<ReturnType<typeof createOrganisation>>;
  let rasmus: User; // recruiter, organisation A
  let britt: User; // recruiter, organisation B
  let olle: User; // recruiter, organisation A, owner of the employers
  let a: Agent;
  let b: Agent;
  let admin: Agent;
  const tokens = new Map<Agent, string>();

  async function signIn(user: User): Promise<Agent> {
    const agent = t.agent();
    await agent
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    return agent;
  }

  /** This agent's CSRF token (one per session). */
  async function csrf(agent: Agent): Promise<string> {
    if (!tokens.has(agent)) {
      tokens.set(agent, csrfFrom((await agent.get('/employers').accept('html').expect(200)).text));
    }
    return tokens.get(agent)!;
  }

  /** Posts a page form with the session's CSRF token and expects `status`. */
  async function submit(
    agent: Agent,
    path: string,
    fields: Record<string, string>,
    status: number,
  ) {
    return agent
      .post(path)
      .accept('html')
      .type('form')
      .send({ _csrf: await csrf(agent), ...fields })
      .expect(status);
  }

  async function page(agent: Agent, path: string, status = 200): Promise<string> {
    return (await agent.get(path).accept('html').expect(status)).text;
  }

  async function employer(extra: object = {}): Promise<string> {
    return (
      await admin
        .post('/api/v1/employers')
        .send({
          name: `Arbetsgivare ${Math.random().toString(36).slice(2)}`,
          sector: 'private',
          municipality: '1285',
          ownerUserId: olle.id,
          confirmNotDuplicate: true,
          ...extra,
        })
        .expect(201)
    ).body.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    orgA = await createOrganisation(t.db, {
      name: 'Arbetsförmedlingen Eslöv',
      kind: 'employment_service',
    });
    orgB = await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Eslöv' });
    rasmus = await createUser(t.db, ['recruiter'], { name: 'Rasmus Lind', organisation: orgA });
    britt = await createUser(t.db, ['recruiter'], { name: 'Britt Berg', organisation: orgB });
    olle = await createUser(t.db, ['recruiter'], { name: 'Olle Ansvarig', organisation: orgA });
    const adminUser = await createUser(t.db, ['admin'], { name: 'Anna Admin' });
    a = await signIn(rasmus);
    b = await signIn(britt);
    admin = await signIn(adminUser);
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t.close();
  });

  it('says "Du kan kontakta arbetsgivaren nu", and otherwise who contacted, when and the first allowed date', async () => {
    const id = await employer();
    let html = await page(b, `/employers/${id}`);
    expect(html).toMatch(/data-testid="contact-banner" data-decision="allowed"/);
    expect(byTestId(html, 'contact-banner')).toContain('Du kan kontakta arbetsgivaren nu.');
    expect(byTestId(html, 'contact-owner')).toBe('Ansvarig: Olle Ansvarig');
    expect(html).toContain('role="status" data-testid="contact-banner"');
    expect(html).toContain('data-testid="claim-submit"');
    // praktik is the default purpose
    expect(html).toMatch(/<option value="internship" selected>Praktik<\/option>/);
    expect(byTestId(html, 'history-count')).toBe('0 kontakter');
    expect(html).toContain('Inga kontakter loggade ännu.');

    // Organisation A contacted the employer three days ago.
    const occurredAt = new Date(Date.now() - 3 * DAY);
    await a
      .post(`/api/v1/employers/${id}/contacts`)
      .send({ channel: 'phone', purpose: 'internship', occurredAt: occurredAt.toISOString() })
      .expect(201);
    const next = stockholmDate(new Date(occurredAt.getTime() + 14 * DAY));
    html = await page(b, `/employers/${id}`);
    expect(html).toMatch(/data-testid="contact-banner" data-decision="refused"/);
    expect(html).toContain('class="alert warning contact-banner" role="alert"');
    expect(byTestId(html, 'contact-refusal')).toBe(
      `Arbetsförmedlingen Eslöv (Rasmus Lind) kontaktade arbetsgivaren för 3 dagar sedan om praktik; nästa kontakt tillåten ${next}.`,
    );
    expect(byTestId(html, 'contact-banner')).toContain('Vänta med att kontakta arbetsgivaren.');
    expect(byTestId(html, 'contact-owner')).toBe('Ansvarig: Olle Ansvarig');
    // No claim form while refused; logging is still possible, with a warning.
    expect(html).not.toContain('data-testid="claim-submit"');
    expect(html).toContain('Har kontakten ändå skett ska du logga den');

    // Another purpose through the select (GET param), kept in the form.
    html = await page(b, `/employers/${id}?purpose=recruitment`);
    expect(html).toMatch(
      /<select id="contact-purpose" name="purpose">[\s\S]*?<option value="recruitment" selected>Rekrytering<\/option>/,
    );
    expect(byTestId(html, 'contact-refusal')).toContain('om praktik');
    // An unknown purpose falls back to praktik rather than failing the page.
    await page(b, `/employers/${id}?purpose=fishing`);

    // In English.
    html = await page(b, `/employers/${id}?lang=en`);
    expect(byTestId(html, 'contact-refusal')).toBe(
      `Arbetsförmedlingen Eslöv (Rasmus Lind) contacted the employer 3 days ago about internship; next contact allowed ${next}.`,
    );
    expect(byTestId(html, 'contact-owner')).toBe('Responsible: Olle Ansvarig');
    await page(b, `/employers/${id}?lang=sv`);

    // The owner is exempt from the cool-off.
    const owner = await signIn(olle);
    html = await page(owner, `/employers/${id}`);
    expect(byTestId(html, 'contact-banner')).toContain('Du kan kontakta arbetsgivaren nu.');
    expect(byTestId(html, 'contact-banner')).toContain('du är ansvarig för arbetsgivaren');

    // Do-not-contact: red, with the reason, for everyone.
    const blocked = await employer({
      status: 'do_not_contact',
      doNotContactReason: 'Vill inte bli kontaktade',
    });
    html = await page(owner, `/employers/${blocked}`);
    expect(html).toContain('class="alert error contact-banner" role="alert"');
    expect(byTestId(html, 'contact-banner')).toContain(
      'Kontakta inte arbetsgivaren: kontaktspärr.',
    );
    expect(byTestId(html, 'contact-refusal')).toBe(
      'Arbetsgivaren får inte kontaktas tills vidare (orsak: Vill inte bli kontaktade).',
    );
  });

  it('claims through "Boka kontakt", shows the claim to its organisation, refuses the others naming it, and releases', async () => {
    const id = await employer();
    // Field errors first: days must be a whole number 1–14.
    let res = await submit(
      a,
      `/employers/${id}/contact-claims`,
      {
        purpose: 'internship',
        days: '0',
      },
      400,
    );
    expect(res.text).toMatch(/id="claim-days"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('aria-describedby="claim-days-hint claim-days-error"');
    expect(byTestId(res.text, 'contact-banner')).toContain('Du kan kontakta arbetsgivaren nu.');
    expect(res.text).toContain(
      'id="claim-days-error">Ange antal dagar som ett heltal inom gränsen.',
    );
    res = await submit(
      a,
      `/employers/${id}/contact-claims`,
      {
        purpose: 'party',
        days: '3',
      },
      400,
    );
    expect(res.text).toContain('id="claim-purpose-error">Välj ett syfte i listan.');

    res = await submit(
      a,
      `/employers/${id}/contact-claims`,
      {
        purpose: 'internship',
        days: '5',
      },
      303,
    );
    expect(res.headers.location).toBe(`/employers/${id}?purpose=internship&claimed=1#contact`);
    let html = await page(a, res.headers.location);
    expect(byTestId(html, 'contact-flash')).toContain('Kontakten är bokad.');
    expect(html).toMatch(/data-testid="contact-banner" data-decision="ownClaim"/);
    expect(byTestId(html, 'contact-banner')).toMatch(
      /Din organisation har bokat kontakten om praktik till \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Rasmus Lind\)\./,
    );
    expect(html).toContain('data-testid="release-claim"');
    expect(html).not.toContain('data-testid="claim-submit"');
    const [claim] = await t.db.query(
      'SELECT id, organisation_id, user_id, status, valid_until, created_at FROM contact_claim WHERE employer_id = ?',
      [id],
    );
    expect(claim).toMatchObject({ organisation_id: orgA.id, user_id: rasmus.id, status: 'active' });
    expect(new Date(claim.valid_until).getTime() - new Date(claim.created_at).getTime()).toBe(
      5 * DAY,
    );

    // Organisation B sees who holds it, and cannot take it.
    html = await page(b, `/employers/${id}`);
    expect(html).toMatch(/data-testid="contact-banner" data-decision="refused"/);
    expect(byTestId(html, 'contact-refusal')).toMatch(
      /^Arbetsförmedlingen Eslöv \(Rasmus Lind\) har reserverat kontakten med arbetsgivaren om praktik sedan \d{4}-\d{2}-\d{2}; nästa kontakt tillåten \d{4}-\d{2}-\d{2}\.$/,
    );
    expect(html).not.toContain('data-testid="claim-submit"');
    expect(html).not.toContain('data-testid="release-claim"');
    res = await submit(
      b,
      `/employers/${id}/contact-claims`,
      {
        purpose: 'internship',
        days: '7',
      },
      303,
    );
    expect(res.headers.location).toBe(`/employers/${id}?purpose=internship&claimRefused=1#contact`);
    html = await page(b, res.headers.location);
    expect(byTestId(html, 'contact-flash')).toBe('Kontakten kunde inte bokas. Se varför nedan.');
    // ...nor release it.
    await submit(b, `/employers/${id}/contact-claims/${claim.id}/release`, {}, 404);

    // Released by its organisation: B may contact now.
    res = await submit(a, `/employers/${id}/contact-claims/${claim.id}/release`, {}, 303);
    expect(res.headers.location).toBe(`/employers/${id}?released=1#contact`);
    html = await page(a, res.headers.location);
    expect(byTestId(html, 'contact-flash')).toContain('Bokningen är släppt.');
    const [row] = await t.db.query('SELECT status FROM contact_claim WHERE id = ?', [claim.id]);
    expect(row.status).toBe('released');
    res = await submit(a, `/employers/${id}/contact-claims/${claim.id}/release`, {}, 303);
    expect(res.headers.location).toBe(`/employers/${id}?releaseFailed=1#contact`);
    html = await page(b, `/employers/${id}`);
    expect(byTestId(html, 'contact-banner')).toContain('Du kan kontakta arbetsgivaren nu.');

    // Forms need their CSRF token.
    await a
      .post(`/employers/${id}/contact-claims`)
      .accept('html')
      .type('form')
      .send({ purpose: 'internship', days: '3' })
      .expect(403);
  });

  it('logs a contact through the form, as the signed-in user; a breach is saved, flagged and said', async () => {
    const id = await employer();
    const person = (
      await admin
        .post(`/api/v1/employers/${id}/contact-persons`)
        .send({ name: 'Maria Holm', title: 'HR-ansvarig', email: 'maria@example.se' })
        .expect(201)
    ).body;
    let html = await page(a, `/employers/${id}`);
    expect(html).toContain(`<option value="${person.id}" >Maria Holm (HR-ansvarig)</option>`);

    let res = await submit(
      a,
      `/employers/${id}/contacts`,
      {
        channel: 'phone',
        purpose: 'internship',
        contactPersonId: person.id,
        outcome: 'Intresserad, vill ta emot en praktikant i januari',
        note: 'Ring igen efter jul.\nFråga om handledarutbildning.',
        nextStepAt: '2027-01-08',
        // Never taken from the form: the acting user and organisation come from the session.
        organisationId: orgB.id,
        userId: britt.id,
      },
      303,
    );
    expect(res.headers.location).toBe(`/employers/${id}?purpose=internship&logged=1#contact`);
    html = await page(a, res.headers.location);
    expect(byTestId(html, 'contact-flash')).toBe('Kontakten är loggad.');
    const [row] = historyRows(html);
    expect(row).toContain('Rasmus Lind');
    expect(row).toContain('Arbetsförmedlingen Eslöv');
    expect(row).toContain('Telefon · Praktik');
    expect(row).toContain('med Maria Holm');
    expect(row).toContain('Intresserad, vill ta emot en praktikant i januari');
    expect(row).toContain('Ring igen efter jul.');
    expect(row).toContain('2027-01-08');
    expect(row).not.toContain('Regelbrott');
    const [event] = await t.db.query(
      'SELECT organisation_id, user_id, contact_person_id, policy_breach FROM contact_event WHERE employer_id = ?',
      [id],
    );
    expect(event).toMatchObject({
      organisation_id: orgA.id,
      user_id: rasmus.id,
      contact_person_id: person.id,
    });
    expect(Number(event.policy_breach)).toBe(0);

    // Organisation B logs a contact during the cool-off: saved, flagged, and told so.
    res = await submit(
      b,
      `/employers/${id}/contacts`,
      {
        channel: 'visit',
        purpose: 'recruitment',
        contactPersonId: '',
        outcome: 'Träffade chefen på mässan',
        note: '',
        nextStepAt: '',
      },
      303,
    );
    expect(res.headers.location).toBe(
      `/employers/${id}?purpose=recruitment&breach=COOL_OFF#contact`,
    );
    html = await page(b, res.headers.location);
    expect(byTestId(html, 'contact-flash')).toBe(
      'Kontakten sparades men bröt mot kontaktreglerna (karenstiden hade inte gått ut).',
    );
    expect(html).toContain('role="alert" data-testid="contact-flash"');
    const rows = historyRows(html);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Britt Berg');
    expect(rows[0]).toContain('Arbetsmarknadsenheten Eslöv');
    expect(rows[0]).toContain('Regelbrott karenstiden hade inte gått ut');
    expect(rows[1]).not.toContain('Regelbrott');
    expect(html).toContain('<tr data-testid="contact-row" class="breach">');
    const breaches = await t.db.query(
      'SELECT breach_reason FROM contact_event WHERE employer_id = ? AND policy_breach = 1',
      [id],
    );
    expect(breaches).toEqual([{ breach_reason: 'COOL_OFF' }]);

    // Bad input comes back on the page, the form open and what was typed kept.
    res = await submit(
      b,
      `/employers/${id}/contacts`,
      {
        channel: 'fax',
        purpose: 'internship',
        outcome: 'Kom inte fram',
        nextStepAt: 'nästa vecka',
      },
      400,
    );
    expect(res.text).toContain('<details class="add-form log-form" open>');
    expect(res.text).toMatch(
      /id="log-channel"[^>]*aria-invalid="true" aria-describedby="log-channel-error"/,
    );
    expect(res.text).toContain('id="log-channel-error">Välj en kontaktväg i listan.');
    expect(res.text).toContain('id="log-next-error">Ange ett datum, t.ex. 2026-12-01.');
    expect(res.text).toContain('value="Kom inte fram"');
    expect(res.text).toContain('value="nästa vecka"');
    // A contact person of another employer is refused by the service, shown the same way.
    const other = await employer();
    const stranger = (
      await admin
        .post(`/api/v1/employers/${other}/contact-persons`)
        .send({ name: 'Okänd Person' })
        .expect(201)
    ).body;
    res = await submit(
      b,
      `/employers/${id}/contacts`,
      {
        channel: 'phone',
        purpose: 'internship',
        contactPersonId: stranger.id,
      },
      400,
    );
    expect(res.text).toContain('id="log-person-error">Välj en kontaktperson i listan.');
    expect(historyRows(await page(a, `/employers/${id}`))).toHaveLength(2);
  });

  it('filters the history by organisation, purpose and channel, newest first, paginated', async () => {
    const id = await employer();
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    await a
      .post(`/api/v1/employers/${id}/contacts`)
      .send({ channel: 'phone', purpose: 'internship', outcome: 'Första', occurredAt: at(30) })
      .expect(201);
    await b
      .post(`/api/v1/employers/${id}/contacts`)
      .send({ channel: 'visit', purpose: 'internship', outcome: 'Andra', occurredAt: at(20) })
      .expect(201);
    await a
      .post(`/api/v1/employers/${id}/contacts`)
      .send({ channel: 'email', purpose: 'recruitment', outcome: 'Tredje', occurredAt: at(10) })
      .expect(201);

    const outcomes = (html: string) =>
      historyRows(html).map((r) => /(Första|Andra|Tredje)/.exec(r)?.[1]);
    let html = await page(a, `/employers/${id}`);
    expect(outcomes(html)).toEqual(['Tredje', 'Andra', 'Första']);
    expect(byTestId(html, 'history-count')).toBe('3 kontakter');
    // All organisations are offered in the filter.
    expect(html).toContain(`<option value="${orgB.id}" >Arbetsmarknadsenheten Eslöv</option>`);

    html = await page(a, `/employers/${id}?historyOrganisationId=${orgB.id}`);
    expect(outcomes(html)).toEqual(['Andra']);
    expect(html).toContain(
      `<option value="${orgB.id}" selected>Arbetsmarknadsenheten Eslöv</option>`,
    );
    html = await page(a, `/employers/${id}?historyPurpose=recruitment`);
    expect(outcomes(html)).toEqual(['Tredje']);
    html = await page(a, `/employers/${id}?historyChannel=visit&historyPurpose=internship`);
    expect(outcomes(html)).toEqual(['Andra']);
    html = await page(a, `/employers/${id}?historyChannel=meeting`);
    expect(outcomes(html)).toEqual([]);
    expect(html).toContain('Inga kontakter matchar filtren.');
    // The banner's purpose and the history's filters live side by side.
    html = await page(a, `/employers/${id}?purpose=recruitment&historyOrganisationId=${orgA.id}`);
    expect(outcomes(html)).toEqual(['Tredje', 'Första']);
    expect(html).toContain(`<input type="hidden" name="historyOrganisationId" value="${orgA.id}">`);
    expect(html).toContain('<input type="hidden" name="purpose" value="recruitment">');

    // Pages keep the filters.
    html = await page(a, `/employers/${id}?limit=2&historyPurpose=internship`);
    expect(outcomes(html)).toEqual(['Andra', 'Första']);
    html = await page(a, `/employers/${id}?limit=2`);
    expect(outcomes(html)).toEqual(['Tredje', 'Andra']);
    expect(html).toContain('Sida 1 av 2 (3 st)');
    const nextLink = /<a href="([^"]+)" rel="next">/
      .exec(html)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(nextLink).toBe(`/employers/${id}?limit=2&page=2#contact-history`);
    html = await page(a, nextLink.replace(/#.*$/, ''));
    expect(outcomes(html)).toEqual(['Första']);

    // A bad filter is answered on the page.
    html = await page(a, `/employers/${id}?historyPurpose=fishing`, 400);
    expect(html).toContain('id="history-purpose-error">Välj ett syfte i listan.');
    expect(html).toMatch(/id="history-purpose"[^>]*aria-invalid="true"/);
  });

  it('lists my and my organisation’s next steps this week, overdue first, and marks one done', async () => {
    // A Wednesday: the week runs to Sunday 2026-11-22.
    t.clock.freeze(new Date('2026-11-18T10:00:00Z'));
    const id = await employer({ name: 'Café Åkerlund AB' });
    const other = await employer({ name: 'Bageriet i Eslöv' });
    const colleague = await signIn(olle);
    const log = (agent: Agent, employerId: string, nextStepAt: string, outcome: string) =>
      agent
        .post(`/api/v1/employers/${employerId}/contacts`)
        .send({ channel: 'phone', purpose: 'internship', outcome, nextStepAt })
        .expect(201);
    await log(a, id, '2026-11-20', 'Skicka information'); // this week
    await log(a, other, '2026-11-16', 'Ring tillbaka'); // overdue
    await log(a, other, '2026-11-30', 'Nästa vecka'); // later: not shown
    await log(colleague, id, '2026-11-19', 'Kollegans steg'); // same organisation
    await log(b, id, '2026-11-19', 'Annan organisation'); // not ours

    let html = await page(a, '/contacts/next-steps');
    expect(html).toContain('<h1>Mina nästa steg</h1>');
    expect(html).toContain('aria-current="page" data-testid="scope-me"');
    let rows = [...html.matchAll(/<tr data-testid="next-step-row"([^>]*)>([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => /(Skicka information|Ring tillbaka)/.exec(r[2])?.[1])).toEqual([
      'Ring tillbaka',
      'Skicka information',
    ]);
    expect(rows[0][1]).toContain('class="overdue"');
    expect(rows[0][2]).toContain('Försenat');
    expect(rows[0][2]).toContain('Bageriet i Eslöv');
    expect(rows[0][2]).toContain(`href="/employers/${other}#contact"`);
    expect(rows[1][2]).not.toContain('Försenat');
    expect(byTestId(html, 'next-steps-count')).toBe('2 nästa steg · Försenade: 1');

    html = await page(a, '/contacts/next-steps?scope=organisation');
    expect(html).toContain('<h1>Min organisations nästa steg</h1>');
    rows = [...html.matchAll(/<tr data-testid="next-step-row"([^>]*)>([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(3);
    expect(html).toContain('Kollegans steg');
    expect(html).toContain('Olle Ansvarig');
    expect(html).not.toContain('Annan organisation');

    // "Klar" on the overdue one.
    const [step] = await t.db.query(
      "SELECT id FROM contact_event WHERE outcome = 'Ring tillbaka' AND employer_id = ?",
      [other],
    );
    await submit(b, `/contacts/${step.id}/next-step-done`, { scope: 'me' }, 404);
    const res = await submit(a, `/contacts/${step.id}/next-step-done`, { scope: 'me' }, 303);
    expect(res.headers.location).toBe('/contacts/next-steps?scope=me&done=1');
    html = await page(a, res.headers.location);
    expect(byTestId(html, 'flash')).toBe('Nästa steg är markerat som klart.');
    expect(html).not.toContain('Ring tillbaka');
    expect(html).toContain('Skicka information');
    const [done] = await t.db.query('SELECT next_step_done_at FROM contact_event WHERE id = ?', [
      step.id,
    ]);
    expect(done.next_step_done_at).not.toBeNull();

    await page(a, '/contacts/next-steps?scope=everyone', 400);
    // The recruiter's start page leads here and to "my employers".
    html = await page(a, '/recruiter');
    expect(html).toContain('href="/contacts/next-steps"');
    expect(html).toContain('href="/employers?owner=me"');
    expect(html).toMatch(/<a href="\/contacts\/next-steps"\s*>Nästa steg<\/a>/);
  });

  it('lets an admin set the karenstid and the longest claim, and no one else', async () => {
    let html = await page(admin, '/admin');
    expect(html).toContain('href="/admin/settings"');
    html = await page(admin, '/admin/settings');
    expect(html).toContain('<h1>Inställningar</h1>');
    expect(html).toMatch(/id="minDaysBetweenContacts"[^>]*value="14"/);
    expect(html).toMatch(/id="maxClaimDays"[^>]*value="14"/);
    expect(html).toMatch(/<a href="\/admin\/settings" aria-current="page">Inställningar<\/a>/);

    let res = await submit(
      admin,
      '/admin/settings',
      {
        minDaysBetweenContacts: '400',
        maxClaimDays: 'två',
      },
      400,
    );
    expect(res.text).toContain(
      'id="minDaysBetweenContacts-error">Ange ett heltal mellan 0 och 365.',
    );
    expect(res.text).toContain('id="maxClaimDays-error">Ange ett heltal mellan 1 och 14.');
    expect(res.text).toMatch(/id="maxClaimDays"[^>]*value="två"/);
    expect(res.text).toContain('aria-describedby="maxClaimDays-hint maxClaimDays-error"');
    await submit(admin, '/admin/settings', { minDaysBetweenContacts: '', maxClaimDays: '5' }, 400);

    res = await submit(
      admin,
      '/admin/settings',
      {
        minDaysBetweenContacts: '10',
        maxClaimDays: '3',
      },
      303,
    );
    expect(res.headers.location).toBe('/admin/settings?saved=1');
    html = await page(admin, res.headers.location);
    expect(byTestId(html, 'flash')).toBe('Inställningarna är sparade.');
    expect(html).toMatch(/id="minDaysBetweenContacts"[^>]*value="10"/);
    expect((await admin.get('/api/v1/settings').expect(200)).body).toEqual({
      minDaysBetweenContacts: 10,
      maxClaimDays: 3,
    });
    const audit = await t.db.query(
      "SELECT COUNT(*) AS n FROM audit_event WHERE action = 'settings.update'",
    );
    expect(Number(audit[0].n)).toBe(1);

    try {
      // The claim form follows the setting.
      const id = await employer();
      html = await page(a, `/employers/${id}`);
      expect(html).toMatch(/id="claim-days"[^>]*max="3"[^>]*value="3"/);
      expect(html).toContain('1–3 dagar.');
      res = await submit(
        a,
        `/employers/${id}/contact-claims`,
        {
          purpose: 'internship',
          days: '7',
        },
        400,
      );
      expect(res.text).toContain(
        'id="claim-days-error">Ange antal dagar som ett heltal inom gränsen.',
      );

      // Recruiters may not see or change the settings.
      await page(a, '/admin/settings', 403);
      await submit(a, '/admin/settings', { minDaysBetweenContacts: '0', maxClaimDays: '14' }, 403);
      expect(await page(a, '/recruiter')).not.toContain('href="/admin/settings"');
    } finally {
      await submit(
        admin,
        '/admin/settings',
        {
          minDaysBetweenContacts: '14',
          maxClaimDays: '14',
        },
        303,
      );
    }
  });
});
