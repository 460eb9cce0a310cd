import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildServer, DEFAULT_WEB_DIR } from '../../src/api/server.ts';
import type { Db } from '../../src/db/database.ts';
import { TEST_POLICY, TEST_SECRET_BOX } from './test-app.ts';

/** Debian's Chromium, headless, with the flags this sandbox needs (no network beyond loopback). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The real server with the built UI, listening on a free loopback port. */
export async function serveUi(db: Db): Promise<{ app: FastifyInstance; url: string }> {
  if (!fs.existsSync(path.join(DEFAULT_WEB_DIR, 'index.html'))) {
    throw new Error('The web UI is not built: run `npm run build:web` (npm run test:e2e does it).');
  }
  const app = await buildServer({ db, policy: TEST_POLICY, secureCookies: false, secretBox: TEST_SECRET_BOX });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}` };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the current page (WCAG 2.1 A/AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // The function runs in the page; globalThis there is the window.
  const result = await page.evaluate(async () => {
    const scope = globalThis as unknown as { axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return scope.axe.run(scope.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
}

/** Screenshots land in artifacts/screenshots for a person to look at (CI keeps them with the run). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve('artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Only what is in the viewport (dialogs, menus): a full-page shot of a modal is mostly an overlay. */
export async function screenshotViewport(page: Page, name: string): Promise<void> {
  const dir = path.resolve('artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
