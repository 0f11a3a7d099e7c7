import { configFromEnv } from '../lib/config.ts'
import { createServices } from '../lib/runtime/services.ts'
import { createAwsClients } from '../lib/storage/aws-clients.ts'

const config = configFromEnv()
const { groups } = createServices(createAwsClients(), config.names)

/**
 * Run on a schedule: removes idle v2 consumer instances and group members
 * whose session ran out in groups no request has touched since.
 */
export const handler = () => groups.sweeper.sweep()
