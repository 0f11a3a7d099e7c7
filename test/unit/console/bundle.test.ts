import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildConsole } from '../../../lib/console/build.ts'
import { CONSOLE_BUNDLE } from '../../../lib/console/bundle.generated.ts'

describe('the console bundle', () => {
  it('is what lib/console/ui builds to now (npm run console:build rewrites it)', async () => {
    const built = await buildConsole()
    expect(built.version).toBe(CONSOLE_BUNDLE.version)
    expect(built.script).toBe(CONSOLE_BUNDLE.script)
    expect(built.style).toBe(CONSOLE_BUNDLE.style)
  })

  it('stays small: under 40 KiB gzipped, script and style together', () => {
    const gzipped = gzipSync(CONSOLE_BUNDLE.script).length + gzipSync(CONSOLE_BUNDLE.style).length
    expect(gzipped).toBeLessThan(40 * 1024)
  })

  it('loads nothing from another origin', () => {
    for (const text of [CONSOLE_BUNDLE.script, CONSOLE_BUNDLE.style]) {
      expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/)
      expect(text).not.toMatch(/@import|@font-face/)
    }
  })
})
