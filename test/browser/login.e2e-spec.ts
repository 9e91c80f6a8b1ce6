// Sign-in, language switch and sign-out in headless Debian chromium against the real app.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser, TEST_PASSWORD } from '../factories/users';
import { launchBrowser, newContext, screenshot, withScreenshotOnFailure } from '../helpers/browser';
import { baseUrl, createTestApp, TestApp } from '../helpers/test-app';

const pathIs = (path: string) => (url: URL) => url.pathname === path;

describe('sign-in pages in the browser', () => {
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

  const lang = () => page.locator('html').getAttribute('lang');
  const h1 = async () => (await page.locator('h1').textContent())?.trim();
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase(),
        id: el?.id,
        className: el?.className,
        text: el?.textContent?.trim(),
      };
    });

  it('signs a recruiter in, switches to English and signs out', async () => {
    const user = await createUser(t.db, ['recruiter']);
    await withScreenshotOnFailure(page, 'login-flow', async () => {
      await page.goto('/login');
      expect(await lang()).toBe('sv');
      expect(await h1()).toBe('Logga in');

      await page.getByLabel('E-postadress').fill(user.email);
      await page.getByLabel('Lösenord').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.waitForURL(pathIs('/recruiter'));

      expect(new URL(page.url()).pathname).toBe('/recruiter');
      expect(await h1()).toBe('Arbetsgivarkontakt');
      expect(await lang()).toBe('sv');
      expect(await page.getByTestId('who').textContent()).toContain(user.name);
      await screenshot(page, 'recruiter-start-sv');

      const langSwitch = page.getByTestId('lang-switch');
      expect((await langSwitch.textContent())?.trim()).toBe('English');
      await langSwitch.click();
      await page.waitForURL(
        (url) => url.pathname === '/recruiter' && url.searchParams.get('lang') === 'en',
      );
      expect(await h1()).toBe('Employer contact');
      expect(await lang()).toBe('en');
      expect((await page.getByTestId('lang-switch').textContent())?.trim()).toBe('Svenska');
      await screenshot(page, 'recruiter-start-en');

      await page.getByTestId('logout').click();
      await page.waitForURL(pathIs('/login'));
      // The language cookie outlives the session.
      expect(await lang()).toBe('en');
      expect(await h1()).toBe('Sign in');
      expect(await page.getByTestId('logout').count()).toBe(0);

      // Signed out for real: the start page sends us back to the sign-in page.
      await page.goto('/recruiter');
      expect(new URL(page.url()).pathname).toBe('/login');
    });
  });

  it('shows an error for a wrong password and stays on the sign-in page', async () => {
    const user = await createUser(t.db, ['recruiter']);
    await withScreenshotOnFailure(page, 'login-wrong-password', async () => {
      await page.goto('/login');
      await page.getByLabel('E-postadress').fill(user.email);
      await page.getByLabel('Lösenord').fill('wrong-password-1');
      await page.getByRole('button', { name: 'Logga in' }).click();

      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect((await alert.textContent())?.trim()).toBe('Fel e-postadress eller lösenord.');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await h1()).toBe('Logga in');
      // The email is kept, the password is not echoed back.
      expect(await page.getByLabel('E-postadress').inputValue()).toBe(user.email);
      expect(await page.getByLabel('Lösenord').inputValue()).toBe('');
      await screenshot(page, 'login-wrong-password');
    });
  });

  it('can be used with the keyboard: skip link first, then the form', async () => {
    const user = await createUser(t.db, ['recruiter']);
    await withScreenshotOnFailure(page, 'login-keyboard', async () => {
      await page.goto('/login');
      // The email field takes focus on load (autofocus) and is reachable with Tab.
      expect(await focused()).toMatchObject({ tag: 'input', id: 'email' });

      // From the start of the page, Tab reaches the skip link first, and it becomes visible.
      // (Autofocus moved the starting point to the email field; put it back at the top of the
      // document with a focus marker before everything else, as a fresh page without autofocus has.)
      await page.evaluate(() => {
        const marker = document.createElement('span');
        marker.tabIndex = -1;
        document.body.prepend(marker);
        marker.focus();
      });
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({
        tag: 'a',
        className: 'skip',
        text: 'Hoppa till innehållet',
      });
      const box = await page.locator('a.skip').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.width).toBeGreaterThan(0);

      // Following the skip link moves focus into the main content; the next Tab is the email field.
      await page.keyboard.press('Enter');
      expect(await focused()).toMatchObject({ tag: 'main', id: 'main' });
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'input', id: 'email' });

      // Sign in with the keyboard only.
      await page.keyboard.type(user.email);
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'input', id: 'password' });
      await page.keyboard.type(TEST_PASSWORD);
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'button', text: 'Logga in' });
      await page.keyboard.press('Enter');
      await page.waitForURL(pathIs('/recruiter'));

      // On the start page (no autofocus) the first Tab from the top is the skip link too.
      expect(await focused()).toMatchObject({ tag: 'body' });
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'a', className: 'skip' });
      await screenshot(page, 'recruiter-start-skip-link');
    });
  });
});
