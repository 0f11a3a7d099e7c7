import { maintenanceFunction } from '../lib/maintenance/lambda.ts'

/**
 * Applies `retention.ms` and `retention.bytes`, then collects garbage: objects
 * no index entry refers to any more, and what deleted topics left behind.
 */
export const handler = maintenanceFunction('sluice-retention', ['retention', 'gc'])
