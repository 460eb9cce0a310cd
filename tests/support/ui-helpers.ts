import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/load-demo.ts';

/**
 * Small helpers for the e2e tests: sign in through the form, wait for a page
 * to finish loading, read the validation message under an input, pick from a
 * Mantine select, read a value from a description list, and collect what went
 * wrong in the page (uncaught errors, 5xx answers).
 */

export async function signIn(page: Page, url: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

export interface PageFailures {
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** API answers with a 5xx status ("GET /api/x -> 500"). */
  serverErrors: string[];
}

export function watchForFailures(page: Page): PageFailures {
  const failures: PageFailures = { errors: [], serverErrors: [] };
  page.on('pageerror', (error) => failures.errors.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500) failures.serverErrors.push(`${response.request().method()} ${response.url()} -> ${response.status()}`);
  });
  return failures;
}

/** Waits for the page's <h1> and for every loader, skeleton and busy table in it to be gone. */
export async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(
    // Runs in the page, where globalThis is the window.
    (selector) => !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(selector),
    '[aria-busy="true"], .mantine-Skeleton-root, [role="status"] .mantine-Loader-root, main .mantine-LoadingOverlay-root',
    { timeout: 15_000 },
  );
}

/**
 * The validation message attached to an input (Mantine links it through
 * aria-describedby), once the input is marked invalid. Throws unless the
 * message is rendered below the input, where a person looks for it.
 */
export async function fieldError(input: Locator): Promise<string> {
  const page = input.page();
  await input.and(page.locator('[aria-invalid="true"]')).waitFor();
  const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter((id) => id.endsWith('-error'));
  if (ids.length === 0) throw new Error('The invalid input has no error message attached (aria-describedby).');
  const message = page.locator(`[id="${ids[0]}"]`);
  await message.waitFor();
  const [inputBox, messageBox] = await Promise.all([input.boundingBox(), message.boundingBox()]);
  if (!inputBox || !messageBox || messageBox.y < inputBox.y + inputBox.height - 1) {
    throw new Error(`The error message is not below its input (${JSON.stringify({ inputBox, messageBox })}).`);
  }
  return (await message.innerText()).trim();
}

/** Opens a Mantine Select/combobox, optionally types to filter, and clicks the option with this exact name. */
export async function pickOption(combobox: Locator, option: string, typed?: string): Promise<void> {
  const page = combobox.page();
  await combobox.click();
  if (typed !== undefined) await combobox.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The value next to a label in a <dl> (DetailList). */
export function detailValue(scope: Page | Locator, label: string): Locator {
  return scope.locator('dt', { hasText: new RegExp(`^${label}$`, 'i') }).locator('xpath=following-sibling::dd[1]');
}
