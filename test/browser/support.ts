import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import chromium from '@sparticuz/chromium'
import type { MiddlewareHandler } from 'hono'
import { type Browser, type Locator, type Page, chromium as playwright } from 'playwright-core'
import { expect } from 'vitest'
import { createApp } from '../../lib/http/app.ts'
import { createServices } from '../../lib/runtime/services.ts'
import { awsStorage } from '../../lib/storage/aws/storage-engine.ts'
import { listenOnLoopback } from '../support/loopback.ts'
import { createTestStorage, type TestStorage } from '../support/storage.ts'

export interface ConsoleServer {
  readonly url: string
  readonly storage: TestStorage
  /** Calls the API as any client would, bypassing the page. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>
  close(): Promise<void>
}

/** The real app on real local engines, on a free port of 127.0.0.1, as `npm start` serves it. */
export async function startConsoleServer(
  authenticate?: (storage: TestStorage) => MiddlewareHandler,
): Promise<ConsoleServer> {
  const storage = await createTestStorage()
  const app = createApp({
    ...createServices(awsStorage(storage.clients, storage.names)),
    clusterId: 'local',
    maxRequestBytes: 1024 * 1024,
    ...(authenticate && { authenticate: authenticate(storage) }),
  })
  const { url, close } = await listenOnLoopback(app)
  return {
    url,
    storage,
    api: (method, path, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }),
    close,
  }
}

/**
 * Headless Chromium from the @sparticuz/chromium npm package (its binary ships
 * in the tarball, so `npm install` is all a machine needs), driven by
 * playwright-core. Its own flags are tuned for Lambda; these keep Chromium
 * off the network, which the machine does not have.
 */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  })
}

export const DESKTOP = { width: 1280, height: 900 }
export const PHONE = { width: 390, height: 844 }

export interface ConsolePage {
  readonly page: Page
  /** Uncaught exceptions and console errors, except the browser's own note of an API refusal. */
  readonly errors: string[]
  /** Opens a console route (the part after `#`). */
  open(route: string): Promise<void>
  close(): Promise<void>
}

/** A fresh browser context (its own sessionStorage) on the console, collecting what goes wrong. */
export async function openConsole(
  browser: Browser,
  server: ConsoleServer,
  viewport = DESKTOP,
): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  // Well inside the test's own timeout, so a missing element fails with what was awaited.
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    // Chromium logs every 4xx answer as "Failed to load resource"; bad input is meant to get one.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) {
      errors.push(`console: ${message.text()}`)
    }
  })
  return {
    page,
    errors,
    async open(route) {
      await page.goto(`${server.url}/console#${route}`)
    },
    close: () => context.close(),
  }
}

/** The page is no wider than the viewport: nothing scrolls sideways. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const overflow = Number(
    await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    ),
  )
  expect(overflow).toBeLessThanOrEqual(0)
}

/**
 * Saves a full-page screenshot when SLUICE_SCREENSHOT_DIR names a folder, to
 * look at by eye; the tests' own checks are on what the page shows.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SLUICE_SCREENSHOT_DIR
  if (!dir) return
  await mkdir(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

/**
 * The input, select or textarea of the console field labelled exactly `label`.
 * (A select's accessible name also holds its chosen option, so getByLabel cannot match it exactly.)
 */
export function control(page: Page, label: string): Locator {
  return page
    .locator('label.field')
    .filter({ has: page.locator('span').getByText(label, { exact: true }) })
    .locator('input, select, textarea')
}

/** The error box's text once one is shown. */
export async function shownError(page: Page): Promise<string> {
  const alert = page.getByRole('alert').first()
  await alert.waitFor()
  return (await alert.textContent()) ?? ''
}
