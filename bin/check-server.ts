/**
 * The server a fault check kills and restarts (lib/check/server-process.ts
 * forks it): the API on the check's engines, until the check is gone.
 */
import { type CheckServerConfig, serveUnderFaults } from '../lib/check/check-server.ts'

const config = JSON.parse(process.argv[2] ?? '') as CheckServerConfig
serveUnderFaults(config, (message) => process.send?.(message))
// The IPC channel closes when the check exits, however it ends.
process.on('disconnect', () => process.exit(0))
