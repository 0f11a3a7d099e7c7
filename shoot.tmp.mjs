import chromium from '@sparticuz/chromium'
import { chromium as pw } from 'playwright-core'
const base = process.argv[2]
const pages = process.argv.slice(3)
const browser = await pw.launch({ executablePath: await chromium.executablePath(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'], headless: true })
for (const [w, h, tag] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
  const page = await browser.newPage({ viewport: { width: w, height: h } })
  page.on('console', (m) => console.log('console:', m.type(), m.text()))
  page.on('pageerror', (e) => console.log('pageerror:', e.message))
  for (const hash of pages) {
    await page.goto(`${base}/console#${hash}`)
    await page.waitForTimeout(1500)
    const name = `/tmp/shots/${tag}-${hash.replace(/[^a-z0-9]+/gi, '_')}.png`
    await page.screenshot({ path: name, fullPage: true })
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    console.log(name, 'overflow', overflow)
  }
  await page.close()
}
await browser.close()
