import { configFromEnv } from '../lib/config.ts'
import { sweepGroups } from '../lib/runtime/group-sweep.ts'
import { createServices } from '../lib/runtime/services.ts'
import { createAwsClients } from '../lib/storage/aws/clients.ts'
import { awsStorage } from '../lib/storage/aws/storage-engine.ts'

const config = configFromEnv()
const services = createServices(awsStorage(createAwsClients(), config.names))

/**
 * Run on a schedule: removes idle v2 consumer instances and group members
 * whose session ran out in groups no request has touched since.
 */
export const handler = () => sweepGroups(services)
