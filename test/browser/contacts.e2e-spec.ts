// Coordinated employer contact in headless Debian chromium: one organisation claims the
// contact ("Boka kontakt"), another then sees the refusal naming it.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ContactsService } from '../../src/contacts/contacts.service';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { launchBrowser, newContext, screenshot, withScreenshotOnFailure } from '../helpers/browser';
import { baseUrl, createTestApp, TestApp } from '../helpers/test-app';

const DAY = 86_400_000;

describe('contact coordination in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  /** A fresh browser context (own cookies), signed in as this user. */
  async function signedIn(email: string): Promise<Page> {
    const context = await newContext(browser, baseUrl(t));
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('E-postadress').fill(email);
    await page.getByLabel('Lösenord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL((u) => u.pathname === '/recruiter');
    return page;
  }

  const text = async (page: Page, testId: string) =>
    (await page.getByTestId(testId).first().textContent())?.replace(/\s+/g, ' ').trim();

  it('organisation A claims the contact; organisation B sees the refusal naming A', async () => {
    const orgA = await createOrganisation(t.db, {
      name: 'Arbetsförmedlingen Eslöv',
      kind: 'employment_service',
    });
    const orgB = await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Eslöv' });
    const rasmus = await createUser(t.db, ['recruiter'], {
      name: 'Rasmus Lind',
      organisation: orgA,
    });
    const britt = await createUser(t.db, ['recruiter'], { name: 'Britt Berg', organisation: orgB });
    const olle = await createUser(t.db, ['recruiter'], {
      name: 'Olle Ansvarig',
      organisation: orgB,
    });
    const admin = t.agent();
    const adminUser = await createUser(t.db, ['admin']);
    await admin
      .post('/api/v1/auth/login')
      .send({ email: adminUser.email, password: TEST_PASSWORD })
      .expect(200);
    const id: string = (
      await admin
        .post('/api/v1/employers')
        .send({
          name: 'Café Åkerlund AB',
          orgNumber: '556016-0680',
          sector: 'private',
          municipality: '1285',
          ownerUserId: olle.id,
          preferredChannel: 'phone',
        })
        .expect(201)
    ).body.id;
    const person = (
      await admin
        .post(`/api/v1/employers/${id}/contact-persons`)
        .send({ name: 'Maria Holm', title: 'Platschef', phone: '0413-620 00', isPrimary: true })
        .expect(201)
    ).body;
    // Some history, older than the cool-off: a call by B and an automated email.
    const brittApi = t.agent();
    await brittApi
      .post('/api/v1/auth/login')
      .send({ email: britt.email, password: TEST_PASSWORD })
      .expect(200);
    await brittApi
      .post(`/api/v1/employers/${id}/contacts`)
      .send({
        channel: 'phone',
        purpose: 'internship',
        contactPersonId: person.id,
        outcome: 'Positiv, kan ta emot en praktikant i köket',
        note: 'Vill ha en kort handledarutbildning först.',
        occurredAt: new Date(Date.now() - 40 * DAY).toISOString(),
        nextStepAt: new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10),
      })
      .expect(201);
    await t.db.transaction((m) =>
      t.app.get(ContactsService).recordSystemContact(m, {
        employerId: id,
        organisationId: orgB.id,
        contactPersonId: person.id,
        purpose: 'follow_up',
        occurredAt: new Date(Date.now() - 20 * DAY),
        outcome: 'Påminnelse: bekräfta praktikplatsen',
        mailOutboxId: randomUUID(),
      }),
    );

    // --- Organisation A: allowed, claims the contact.
    const a = await signedIn(rasmus.email);
    await withScreenshotOnFailure(a, 'contacts-claim', async () => {
      await a.goto('/employers');
      await a.getByRole('link', { name: 'Café Åkerlund AB' }).click();
      await a.waitForURL((u) => u.pathname === `/employers/${id}`);
      const banner = a.getByTestId('contact-banner');
      expect(await banner.getAttribute('role')).toBe('status');
      expect(await text(a, 'contact-banner')).toContain('Du kan kontakta arbetsgivaren nu.');
      expect(await text(a, 'contact-owner')).toBe('Ansvarig: Olle Ansvarig');
      expect(await a.getByLabel('Syfte med kontakten').inputValue()).toBe('internship');
      expect(await a.getByLabel('Antal dagar').inputValue()).toBe('7');
      // The history: newest first, the automated email named as such.
      const rows = a.getByTestId('contact-row');
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(0).textContent()).toContain('Automatiskt mejl');
      expect(await rows.nth(1).textContent()).toContain('Britt Berg');
      expect(await rows.nth(1).textContent()).toContain('med Maria Holm');

      await screenshot(a, 'contacts-employer-allowed');
      await a.getByRole('button', { name: 'Boka kontakt' }).click();
      await a.waitForURL((u) => u.searchParams.has('claimed'));
      expect(await text(a, 'contact-flash')).toContain('Kontakten är bokad.');
      expect(await text(a, 'contact-banner')).toMatch(
        /Din organisation har bokat kontakten om praktik till \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Rasmus Lind\)\./,
      );
      expect(await a.getByRole('button', { name: 'Släpp bokningen' }).isVisible()).toBe(true);
      expect(await a.getByRole('button', { name: 'Boka kontakt' }).count()).toBe(0);
      await screenshot(a, 'contacts-employer-claimed');
    });

    // --- Organisation B, in its own browser context: refused, naming A.
    const b = await signedIn(britt.email);
    await withScreenshotOnFailure(b, 'contacts-refused', async () => {
      await b.goto(`/employers/${id}`);
      const banner = b.getByTestId('contact-banner');
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.getAttribute('data-decision')).toBe('refused');
      expect(await text(b, 'contact-banner')).toContain('Vänta med att kontakta arbetsgivaren.');
      expect(await text(b, 'contact-refusal')).toMatch(
        /^Arbetsförmedlingen Eslöv \(Rasmus Lind\) har reserverat kontakten med arbetsgivaren om praktik sedan \d{4}-\d{2}-\d{2}; nästa kontakt tillåten \d{4}-\d{2}-\d{2}\.$/,
      );
      expect(await text(b, 'contact-owner')).toBe('Ansvarig: Olle Ansvarig');
      expect(await b.getByRole('button', { name: 'Boka kontakt' }).count()).toBe(0);
      await screenshot(b, 'contacts-employer-refused');

      // B called anyway: the contact is logged, flagged as a breach, and said so.
      await b.locator('summary', { hasText: 'Logga kontakt' }).click();
      const form = b.locator(`form[action="/employers/${id}/contacts"]`);
      expect(await form.isVisible()).toBe(true);
      await form.getByLabel('Kontaktväg').selectOption({ label: 'Telefon' });
      await form.getByLabel('Syfte', { exact: true }).selectOption({ label: 'Praktik' });
      await form.getByLabel('Kontaktperson').selectOption({ label: 'Maria Holm (Platschef)' });
      await form.getByLabel('Utfall').fill('Fick veta att Arbetsförmedlingen redan ringt');
      await form.getByLabel('Anteckning').fill('Ringer inte igen förrän bokningen har gått ut.');
      await form.getByLabel('Nästa steg (datum)').fill('2026-12-07');
      await screenshot(b, 'contacts-employer-log-form');
      await form.getByRole('button', { name: 'Spara kontakten' }).click();
      await b.waitForURL((u) => u.searchParams.has('breach'));
      expect(await text(b, 'contact-flash')).toBe(
        'Kontakten sparades men bröt mot kontaktreglerna (en annan organisation hade bokat kontakten).',
      );
      const first = b.getByTestId('contact-row').first();
      expect(await first.textContent()).toContain('Regelbrott');
      expect(await first.textContent()).toContain('Britt Berg');
      expect(await first.getByTestId('breach-tag').isVisible()).toBe(true);
      await screenshot(b, 'contacts-employer-breach');

      // The next steps: B's call 40 days ago planned one 30 days ago, now overdue.
      await b
        .getByRole('navigation', { name: 'Huvudmeny' })
        .getByRole('link', { name: 'Nästa steg' })
        .click();
      await b.waitForURL((u) => u.pathname === '/contacts/next-steps');
      expect(await b.locator('h1').textContent()).toBe('Mina nästa steg');
      const steps = b.getByTestId('next-step-row');
      expect(await steps.count()).toBe(1);
      expect(await steps.first().textContent()).toContain('Café Åkerlund AB');
      expect(await steps.first().getByTestId('overdue').textContent()).toBe('Försenat');
      await screenshot(b, 'contacts-next-steps');
      await steps.first().getByRole('button', { name: /^Klar/ }).click();
      await b.waitForURL((u) => u.searchParams.has('done'));
      expect(await text(b, 'flash')).toBe('Nästa steg är markerat som klart.');
      expect(await b.getByTestId('next-step-row').count()).toBe(0);
    });
  });
});
