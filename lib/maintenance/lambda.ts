import { configFromEnv } from '../config.ts'
import { observedHandler } from '../observability/lambda-handler.ts'
import { createObservability } from '../observability/powertools.ts'
import { createAwsClients } from '../storage/aws/clients.ts'
import { awsStorage } from '../storage/aws/storage-engine.ts'
import { Maintenance } from './maintenance.ts'
import { scheduledHandler } from './schedule.ts'
import type { MaintenanceTask } from './tasks.ts'

/**
 * The handler of a scheduled maintenance function: configured from the
 * environment the stack sets, logging its report through Powertools.
 */
export function maintenanceFunction(service: string, tasks: readonly MaintenanceTask[]) {
  const config = configFromEnv()
  const observability = createObservability(service, config.clusterId)
  const maintenance = new Maintenance(awsStorage(createAwsClients(), config.names), {
    ...config.maintenance,
    log: ({ message, ...fields }) => observability.logger.info(String(message), fields),
  })
  return observedHandler(scheduledHandler(maintenance, tasks), observability)
}
