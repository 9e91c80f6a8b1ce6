// Headless Debian chromium driven by playwright-core, for the browser tests (test/browser).
// playwright-core never downloads a browser: it drives the machine's /usr/bin/chromium
// (`apt-get install chromium`), or CHROMIUM_PATH when set.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = resolve(__dirname, '..', 'artifacts');

/**
 * The flags this machine needs: no sandbox (we run as root), no GPU, and no background
 * networking (the closed network refuses chromium's own connections, many at a time).
 * playwright gives every launch a fresh, empty user-data-dir.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Could not start chromium at ${executablePath} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH): ${msg}`,
    );
  }
}

/** A fresh context (own cookies) with a desktop-sized window, bound to the app's URL. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'sv-SE' });
}

/** Saves a full-page screenshot to test/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Runs a test body; if it throws, saves a screenshot of the page (test/artifacts/<name>-failure.png)
 * before re-throwing, so a failing browser test leaves a picture of what it saw.
 */
export async function withScreenshotOnFailure<T>(
  page: Page,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    try {
      const file = await screenshot(page, `${name}-failure`);
      if (err instanceof Error) {
        err.message += `\n(screenshot: ${file}, url: ${page.url()})`;
      }
    } catch {
      // the page may be gone; the original error matters more
    }
    throw err;
  }
}
