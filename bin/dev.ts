import { configFromEnv } from '../lib/config.ts'
import { startDevServer } from '../lib/local/dev-server.ts'

const server = await startDevServer({
  config: configFromEnv(),
  port: Number(process.env.PORT || 8082),
  host: process.env.HOST || '127.0.0.1',
  dataDir: process.env.SLUICE_DATA_DIR || '.sluice',
  externalEngines: Boolean(process.env.AWS_ENDPOINT_URL),
}).catch((error: Error) => {
  console.error(`sluice: ${error.message}`)
  process.exit(1)
})

console.log(`Sluice is serving on ${server.url}`)

const shutdown = async () => {
  await server.close()
  process.exit(0)
}
process.once('SIGINT', shutdown)
process.once('SIGTERM', shutdown)
