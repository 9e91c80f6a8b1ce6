// The employer register in headless Debian chromium: create, duplicate warning, merge.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createOrganisation, createUser, TEST_PASSWORD } from '../factories/users';
import { launchBrowser, newContext, screenshot, withScreenshotOnFailure } from '../helpers/browser';
import { baseUrl, createTestApp, TestApp } from '../helpers/test-app';

const ID = /\/employers\/([0-9a-f-]{36})$/;

describe('employer register in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    t = await createTestApp({}, { listen: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await newContext(browser, baseUrl(t));
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });

  const h1 = async () => (await page.locator('h1').textContent())?.replace(/\s+/g, ' ').trim();
  const idFromUrl = () => ID.exec(new URL(page.url()).pathname)?.[1];

  async function fillEmployer(fields: { name: string; orgNumber?: string; owner: string }) {
    await page.getByLabel('Namn (obligatoriskt)').fill(fields.name);
    if (fields.orgNumber) {
      await page.getByLabel('Organisationsnummer').fill(fields.orgNumber);
    }
    await page.getByLabel('Sektor (obligatoriskt)').selectOption({ label: 'Privat' });
    await page.getByLabel('Kommun (kommunkod)').fill('1285');
    await page.getByLabel('Småföretag').check();
    await page.getByLabel('Ansvarig (kontaktansvarig)').selectOption({ label: fields.owner });
  }

  it('creates an employer, warns about a near-duplicate, creates it anyway, then merges the two', async () => {
    const user = await createUser(t.db, ['recruiter'], {
      name: 'Rita Rekryterare',
      organisation: await createOrganisation(t.db, { name: 'Arbetsmarknadsenheten Eslöv' }),
    });
    await createUser(t.db, ['recruiter'], { name: 'Olle Kollega' });
    await withScreenshotOnFailure(page, 'employers-flow', async () => {
      await page.goto('/login');
      await page.getByLabel('E-postadress').fill(user.email);
      await page.getByLabel('Lösenord').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.waitForURL((u) => u.pathname === '/recruiter');

      // The menu leads to the register.
      await page
        .getByRole('navigation', { name: 'Huvudmeny' })
        .getByRole('link', { name: 'Arbetsgivare', exact: true })
        .click();
      await page.waitForURL((u) => u.pathname === '/employers');
      expect(await h1()).toBe('Arbetsgivarregistret');

      // 1. A new employer through the form.
      await page.getByRole('link', { name: 'Ny arbetsgivare' }).click();
      await page.waitForURL((u) => u.pathname === '/employers/new');
      await fillEmployer({
        name: 'Café Åkerlund AB',
        orgNumber: '556016-0680',
        owner: 'Rita Rekryterare',
      });
      await page.getByRole('button', { name: 'Spara arbetsgivaren' }).click();
      await page.waitForURL((u) => ID.test(u.pathname));
      const firstId = idFromUrl()!;
      expect(await h1()).toBe('Café Åkerlund AB');
      expect(await page.getByTestId('flash').textContent()).toContain('Arbetsgivaren är skapad.');
      expect(await page.getByTestId('owner').textContent()).toContain('Rita Rekryterare');

      // 2. A near-duplicate: the form comes back with the candidate listed.
      await page.goto('/employers/new');
      await fillEmployer({ name: 'Cafe Akerlund', owner: 'Rita Rekryterare' });
      await page.getByRole('button', { name: 'Spara arbetsgivaren' }).click();
      const warning = page.getByTestId('duplicate-warning');
      await warning.waitFor();
      expect(new URL(page.url()).pathname).toBe('/employers');
      expect(await warning.getByRole('heading').textContent()).toBe(
        'Arbetsgivaren kan redan finnas i registret',
      );
      const candidate = warning.getByTestId('duplicate-candidate');
      expect(await candidate.count()).toBe(1);
      expect(await candidate.textContent()).toContain('Café Åkerlund AB');
      expect(await candidate.textContent()).toContain(
        'Samma namn (bortsett från stavning och bolagsform)',
      );
      expect(await candidate.getByRole('link').getAttribute('href')).toBe(`/employers/${firstId}`);
      // What was typed is kept.
      expect(await page.getByLabel('Namn (obligatoriskt)').inputValue()).toBe('Cafe Akerlund');
      expect(await page.getByLabel('Småföretag').isChecked()).toBe(true);
      await screenshot(page, 'employers-duplicate-warning');

      // 3. "Not a duplicate": created anyway; its page points at the other one.
      await page.getByLabel('Det här är inte en dubblett – skapa ändå').check();
      await page.getByRole('button', { name: 'Spara arbetsgivaren' }).click();
      await page.waitForURL((u) => ID.test(u.pathname) && !u.pathname.endsWith(firstId));
      const secondId = idFromUrl()!;
      expect(await h1()).toBe('Cafe Akerlund');
      const box = page.getByTestId('duplicates-box');
      expect(await box.textContent()).toContain('Café Åkerlund AB');
      await page.locator('summary', { hasText: 'Lägg till kontaktperson' }).click();
      await page.getByLabel('Namn', { exact: true }).fill('Maria Holm');
      await page.getByLabel('E-postadress', { exact: true }).fill('maria@akerlund.se');
      await page.getByLabel('Telefon').fill('0413-620 00');
      await page.locator('form[action$="/contact-persons"] button[type=submit]').click();
      await page.waitForURL((u) => u.searchParams.has('personAdded'));
      expect(await page.getByTestId('contact-person-row').textContent()).toContain('Maria Holm');
      await screenshot(page, 'employers-detail');

      // The list shows both.
      await page.goto('/employers');
      expect(await page.getByTestId('employer-row').count()).toBe(2);
      await screenshot(page, 'employers-list');

      // 4. Merge from the possible-duplicates page: keep the first, merge the second into it.
      await page.getByRole('link', { name: 'Möjliga dubbletter' }).click();
      await page.waitForURL((u) => u.pathname === '/employers/duplicates');
      expect(await page.getByTestId('duplicate-pair').count()).toBe(1);
      await screenshot(page, 'employers-possible-duplicates');
      await page.locator(`a[href="/employers/${firstId}/merge?mergedId=${secondId}"]`).click();
      await page.waitForURL((u) => u.pathname === `/employers/${firstId}/merge`);
      expect(await h1()).toBe('Slå ihop arbetsgivare');
      expect(await page.getByText('Cafe Akerlund slås ihop in i Café Åkerlund AB').count()).toBe(1);
      await screenshot(page, 'employers-merge-preview');
      await page.getByTestId('confirm-merge').click();
      await page.waitForURL((u) => u.pathname === `/employers/${firstId}`);
      expect(await page.getByTestId('flash').textContent()).toContain(
        'Arbetsgivarna är sammanslagna',
      );
      // The contact person moved along.
      expect(await page.getByTestId('contact-person-row').textContent()).toContain('Maria Holm');
      expect(await page.getByTestId('duplicates-box').count()).toBe(0);

      // 5. The merged employer's old address lands on the survivor.
      await page.goto(`/employers/${secondId}`);
      expect(new URL(page.url()).pathname).toBe(`/employers/${firstId}`);
      expect(await h1()).toBe('Café Åkerlund AB');
      expect(await page.getByTestId('flash').textContent()).toContain(
        'har slagits ihop med den här',
      );
    });
  });

  it('dry-runs a CSV upload and shows the import report', async () => {
    const user = await createUser(t.db, ['recruiter']);
    await withScreenshotOnFailure(page, 'employers-import', async () => {
      await page.goto('/login');
      await page.getByLabel('E-postadress').fill(user.email);
      await page.getByLabel('Lösenord').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.waitForURL((u) => u.pathname === '/recruiter');
      await page.goto('/employers/import');
      expect(await h1()).toBe('Importera arbetsgivare');
      expect(await page.getByTestId('dry-run').isChecked()).toBe(true);
      await screenshot(page, 'employers-import-form');

      // The form's multipart POST carries its CSRF token in the action's query string.
      const action = (await page
        .locator('form[enctype="multipart/form-data"]')
        .getAttribute('action'))!;
      const csv = [
        'Företagsnamn;Organisationsnummer;Kommun;Sektor;Okänd kolumn',
        'Åkeri Nilsson AB;556677-8899;1285;privat;x',
        'Åkeri Nilsson Aktiebolag;5566778899;1285;privat;',
        ';;1285;privat;',
        'Ny Förening;;1266;förening;',
      ].join('\r\n');
      const res = await page.request.post(action, {
        headers: { accept: 'text/html' },
        multipart: {
          dryRun: 'true',
          file: { name: 'arbetsgivare.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) },
        },
        maxRedirects: 0,
      });
      expect(res.status()).toBe(303);
      await page.goto(res.headers()['location']);
      expect(await h1()).toBe('Resultat av inläsningen');
      expect(await page.getByTestId('count-total').textContent()).toBe('4');
      expect(await page.getByTestId('count-new').textContent()).toBe('2');
      expect(await page.getByTestId('count-duplicate').textContent()).toBe('1');
      expect(await page.getByTestId('count-invalid').textContent()).toBe('1');
      expect(await page.getByTestId('unknown-columns').textContent()).toContain('Okänd kolumn');
      await screenshot(page, 'employers-import-report');
      await page.getByLabel('Visa').selectOption({ label: 'Felaktig' });
      await page.getByRole('button', { name: 'Filtrera' }).click();
      await page.waitForURL((u) => u.searchParams.get('status') === 'invalid');
      expect(await page.getByTestId('import-row').count()).toBe(1);
    });
  });
});
