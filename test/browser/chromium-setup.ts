import chromium from '@sparticuz/chromium'

/**
 * Unpacks Chromium once, before any test file runs: @sparticuz/chromium
 * unpacks to a fixed path and only checks that the file exists, so browser
 * test files starting at once on a fresh machine would race to write it.
 */
export default async function setup() {
  await chromium.executablePath()
}
