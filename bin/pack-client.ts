/**
 * Builds the client as a package of its own: JavaScript with type declarations
 * in lib/client/dist, packed by npm into `sluice-client-<version>.tgz`.
 *
 *   npm run client:pack [-- --pack-destination DIR]
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const CLIENT = fileURLToPath(new URL('../lib/client/', import.meta.url))
const DIST = `${CLIENT}dist`
/** What the compiled client may hold: itself and the rules it shares with the server, no server code. */
const SHIPPED_FOLDERS = ['client', 'common']

rmSync(DIST, { recursive: true, force: true })
execFileSync('npx', ['tsc', '-p', `${CLIENT}tsconfig.build.json`], { stdio: 'inherit' })

const stray = readdirSync(DIST).filter((folder) => !SHIPPED_FOLDERS.includes(folder))
if (stray.length > 0) {
  console.error(
    `The client imports server code (lib/${stray.join(', lib/')}); it must ship without it.`,
  )
  process.exit(1)
}

execFileSync('npm', ['pack', CLIENT, ...process.argv.slice(2)], { stdio: 'inherit' })
