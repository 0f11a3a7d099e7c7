import { gzipSync } from 'node:zlib'
import { Hono, type MiddlewareHandler } from 'hono'
import type { ConsoleBundle } from './build.ts'
import { CONSOLE_BUNDLE } from './bundle.generated.ts'

/** Where the console is served, beside the API on the same base URL. */
export const CONSOLE_PATH = '/console'

interface Asset {
  readonly contentType: string
  readonly body: string
  gzipped?: Uint8Array<ArrayBuffer>
}

/** The page: relative asset links, so the console works under any path prefix a proxy adds. */
function page({ version }: ConsoleBundle): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sluice console</title>
<link rel="stylesheet" href="console/assets/console-${version}.css">
<script type="module" src="console/assets/console-${version}.js"></script>
</head>
<body><noscript>The Sluice console needs JavaScript.</noscript></body>
</html>
`
}

/**
 * The page may load and call nothing but its own origin: a script injected
 * through some payload shown could not send the API key anywhere else.
 * (Inline style attributes remain allowed: the lag chart's legend uses them.)
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** `GET /` from a browser (one that asks for HTML) opens the console; API clients get the API's answer. */
const openConsoleFromRoot: MiddlewareHandler = async (c, next) => {
  if (!(c.req.header('accept') ?? '').includes('text/html')) return next()
  return c.redirect(CONSOLE_PATH.slice(1), 302)
}

/**
 * The console's page and assets, mounted at the app's root. They hold no data
 * (everything comes from the API, with the key the user signs in with), so
 * they are served without authentication; assets are named by content hash
 * and cached for good.
 */
export function consoleRoutes(bundle: ConsoleBundle = CONSOLE_BUNDLE): Hono {
  const assets = new Map<string, Asset>([
    [
      `console-${bundle.version}.js`,
      { contentType: 'text/javascript; charset=utf-8', body: bundle.script },
    ],
    [
      `console-${bundle.version}.css`,
      { contentType: 'text/css; charset=utf-8', body: bundle.style },
    ],
  ])
  const html = page(bundle)
  const app = new Hono()

  app.get('/', openConsoleFromRoot)

  app.get(CONSOLE_PATH, (c) => {
    c.header('cache-control', 'no-cache')
    c.header('content-security-policy', CONTENT_SECURITY_POLICY)
    return c.html(html)
  })

  // Relative to /console/, the page's asset links would miss: one canonical address.
  app.get(`${CONSOLE_PATH}/`, (c) => c.redirect(`../${CONSOLE_PATH.slice(1)}`, 301))

  app.get(`${CONSOLE_PATH}/assets/:file`, (c) => {
    const asset = assets.get(c.req.param('file'))
    if (!asset) {
      return c.json(
        { error_code: 404, message: `No console asset ${c.req.param('file')}: reload the page.` },
        404,
      )
    }
    c.header('content-type', asset.contentType)
    c.header('cache-control', 'public, max-age=31536000, immutable')
    c.header('vary', 'accept-encoding')
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(asset.body)
    // Compressed once per process, on first use: the Lambda then answers from memory.
    asset.gzipped ??= new Uint8Array(gzipSync(asset.body, { level: 9 }))
    c.header('content-encoding', 'gzip')
    return c.body(asset.gzipped)
  })

  return app
}
