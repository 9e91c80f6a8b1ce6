// A supervisor opens the emailed link in Debian chromium (a phone-sized window), confirms, and
// sees the thank-you page; the recruiter then sees the slot open.
import type { Browser } from 'playwright-core';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { launchBrowser, newContext, screenshot, withScreenshotOnFailure } from '../helpers/browser';
import { SmtpSink, sleep } from '../helpers/smtp-sink';
import { baseUrl, createTestApp, TestApp } from '../helpers/test-app';

describe('supervisor confirmation in the browser', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let browser: Browser;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    t = await createTestApp({ SMTP_URL: sink.url, MAIL_SWEEP_SECONDS: '3600' }, { listen: true });
    t.clock.freeze(new Date('2026-11-18T09:00:00Z')); // a Wednesday morning: inside the sending window
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.stop();
  });

  it('opens the emailed link, confirms, shows thanks; the recruiter sees the slot open', async () => {
    const org = await createOrganisation(t.db, { name: 'AME Höör' });
    const recruiter = await createUser(t.db, ['recruiter'], { organisation: org });
    const recruiterContext = await newContext(browser, baseUrl(t));
    const rp = await recruiterContext.newPage();
    await rp.goto('/login');
    await rp.getByLabel('E-postadress').fill(recruiter.email);
    await rp.getByLabel('Lösenord').fill(TEST_PASSWORD);
    await rp.getByRole('button', { name: 'Logga in' }).click();
    await rp.waitForURL((u) => u.pathname === '/recruiter');
    // Register the employer, supervisor and slot through the API the pages use.
    const api = (path: string, body: object) =>
      rp.request.post(path, { data: body }).then(async (r) => {
        if (!r.ok()) {
          throw new Error(`${path}: ${r.status()} ${await r.text()}`);
        }
        return r.json();
      });
    const employer = await api('/api/v1/employers', {
      name: 'Höörs Bageri AB',
      sector: 'private',
      municipality: '1267',
    });
    const supervisor = await api(`/api/v1/employers/${employer.id}/contact-persons`, {
      name: 'Greta Bagare',
      email: 'greta@hoorsbageri.se',
    });
    const slot = await api('/api/v1/slots', {
      employerId: employer.id,
      supervisorId: supervisor.id,
      title: 'Bagerimedhjälpare',
      occupationField: 'Hotell, restaurang, storhushåll',
      tasks: ['Forma bullar', 'Diska plåtar'],
      capacity: 1,
      hoursPerWeek: 25,
      municipality: '1267',
      availableFrom: '2027-01-11',
      maxWeeks: 12,
    });
    await withScreenshotOnFailure(rp, 'slots-request', async () => {
      await rp.goto(`/slots/${slot.id}`);
      await rp.getByTestId('request-confirmation').click();
      await rp.waitForURL((u) => u.searchParams.has('confirmationRequested'));
    });

    // The email arrives at the sink; its link is what the supervisor clicks.
    const deadline = Date.now() + 20_000;
    while (
      !sink.messages().some((m) => m.to.includes('greta@hoorsbageri.se')) &&
      Date.now() < deadline
    ) {
      await sleep(100);
    }
    const mail = await sink.parse(
      sink.messages().find((m) => m.to.includes('greta@hoorsbageri.se'))!,
    );
    const link = /https?:\/\/[^\s"<>]+\/s\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0];
    const path = new URL(link).pathname;

    const phone = await browser.newContext({
      baseURL: baseUrl(t),
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const sp = await phone.newPage();
    await withScreenshotOnFailure(sp, 'slots-supervisor', async () => {
      const res = await sp.goto(path);
      expect(res?.headers()['referrer-policy']).toBe('no-referrer');
      expect(await sp.locator('h1').textContent()).toContain('Bekräfta praktikplats');
      expect(await sp.getByText('Forma bullar').count()).toBe(1);
      await screenshot(sp, 'slots-supervisor-confirm');
      await sp.getByTestId('confirm').click();
      await sp.getByTestId('thanks').waitFor();
      expect(await sp.getByTestId('thanks').textContent()).toContain('bekräftad');
      await screenshot(sp, 'slots-supervisor-thanks');
    });
    await phone.close();

    await rp.goto(`/slots/${slot.id}`);
    expect(await rp.getByTestId('status-section').textContent()).toContain('Öppen');
    await recruiterContext.close();
  });
});
