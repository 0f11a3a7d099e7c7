import { maintenanceFunction } from '../lib/maintenance/lambda.ts'

/** Merges small index entries into segments and compacts `cleanup.policy=compact` topics. */
export const handler = maintenanceFunction('sluice-compaction', ['merge', 'compact'])
