import { relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { BUNDLE_MODULE, writeConsoleBundle } from '../lib/console/build.ts'

// Run by `npm install` (the prepare script) and `npm run console:build`: the server embeds what this writes.
const { script, style } = await writeConsoleBundle()
const gzipped = gzipSync(script).length + gzipSync(style).length
console.error(
  `Console: ${script.length + style.length} bytes, ${gzipped} gzipped, in ${relative(process.cwd(), BUNDLE_MODULE)}`,
)
