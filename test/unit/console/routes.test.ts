import { gunzipSync } from 'node:zlib'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { consoleRoutes } from '../../../lib/console/routes.ts'

const bundle = { script: 'console.log("console")', style: 'body{margin:0}', version: 'abc123' }

function app(): Hono {
  const served = new Hono()
  served.route('/', consoleRoutes(bundle))
  served.notFound((c) => c.json({ error_code: 404, message: 'none' }, 404))
  return served
}

describe('console routes', () => {
  it('serve the page, linking assets named by version relative to it', async () => {
    const response = await app().request('/console')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toMatch(
      /default-src 'none'; script-src 'self'; .*connect-src 'self'/,
    )
    const html = await response.text()
    expect(html).toContain('<script type="module" src="console/assets/console-abc123.js">')
    expect(html).toContain('<link rel="stylesheet" href="console/assets/console-abc123.css">')
  })

  it('serve assets for good, gzipped when the client takes it', async () => {
    const plain = await app().request('/console/assets/console-abc123.css')
    expect(plain.status).toBe(200)
    expect(plain.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(bundle.style)

    const gzipped = await app().request('/console/assets/console-abc123.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toBe('accept-encoding')
    expect(gzipped.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(bundle.script)
  })

  it('send /console/ to /console, where the relative asset links hold', async () => {
    const response = await app().request('/console/')
    expect(response.status).toBe(301)
    expect(new URL(response.headers.get('location') ?? '', 'http://x/console/').pathname).toBe(
      '/console',
    )
  })

  it('answer an asset of another version with a 404 that says to reload', async () => {
    const response = await app().request('/console/assets/console-old.js')
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error_code: 404,
      message: 'No console asset console-old.js: reload the page.',
    })
  })

  it('send browsers from / to the console, and leave API clients alone', async () => {
    const browser = await app().request('/', { headers: { accept: 'text/html,*/*;q=0.8' } })
    expect(browser.status).toBe(302)
    expect(browser.headers.get('location')).toBe('console')
    for (const accept of [undefined, 'application/json', '*/*']) {
      const client = await app().request('/', accept ? { headers: { accept } } : {})
      expect(client.status).toBe(404)
    }
  })
})
