import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium): no browser can be downloaded here. CHROMIUM_PATH names another build. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots');
export const VIEWPORTS = { laptop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * describe() for tests that need Chromium. Without it: under CI=true, and by default, a failing
 * test says what to install; SKIP_BROWSER_TESTS=1 lets a developer run the rest, and then the
 * suite says loudly which tests did not run and how to run them.
 */
export function describeInBrowser(name: string, file: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM)) return describe(name, body);
  const install = 'install chromium (apt-get install chromium)';
  if (process.env.CI !== 'true' && process.env.SKIP_BROWSER_TESTS === '1') {
    // Collected while jest reads the skipped body, so the message names every test that did not run.
    const names: string[] = [];
    const g = globalThis as unknown as { it: jest.It };
    const realIt = g.it;
    describe.skip(`${name} [NOT RUN: ${CHROMIUM} missing]`, () => {
      g.it = Object.assign((title: string, ...rest: unknown[]) => {
        names.push(title);
        return (realIt as (...a: unknown[]) => unknown)(title, ...rest);
      }, realIt) as jest.It;
      try {
        body();
      } finally {
        g.it = realIt;
      }
    });
    process.stderr.write(
      `\n[browser tests NOT RUN] ${path.relative(process.cwd(), file)}: ${CHROMIUM} is missing and SKIP_BROWSER_TESTS=1, so these did not run:\n` +
        names.map((n) => `  - ${name} › ${n}\n`).join('') +
        `  To run them: ${install}, then run without SKIP_BROWSER_TESTS.\n\n`,
    );
    return;
  }
  describe(name, () => {
    it('needs Chromium', () => {
      throw new Error(`${CHROMIUM} is missing: ${install}${process.env.CI === 'true' ? '' : ', or set SKIP_BROWSER_TESTS=1 to run the other tests without these'}`);
    });
  });
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every console error and CSP refusal the page logged: a test expects none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh Chromium with a profile of its own (nothing carried between runs), one page at laptop width. */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: VIEWPORTS.laptop });
  const browser = context.browser();
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    // An API answer of 4xx is logged by Chromium as a failed load: that is the page working.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    browser: browser!,
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core on the page as it is. The console's CSP refuses inline scripts, addScriptTag's
 * included, so axe is injected with the CSP bypassed for this one evaluation (Runtime.evaluate,
 * not a script element); the page's own scripts are still held to it.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A PNG of the page at laptop and phone width, under test-output/screenshots/ (git-ignored). */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  // With a modal open, the viewport is what the user sees (a full-page shot leaves the backdrop short).
  const fullPage = (await page.locator('dialog[open]').count()) === 0;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const written: string[] = [];
  const before = page.viewportSize();
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    const file = path.join(SCREENSHOTS, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage });
    written.push(file);
  }
  if (before) await page.setViewportSize(before);
  return written;
}

/** Signs in through the page, as a user pastes the token. */
export async function signIn(page: Page, apiUrl: string, token: string): Promise<void> {
  await page.goto(`${apiUrl}/ui/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}
