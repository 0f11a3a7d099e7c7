export const MAINTENANCE_TASKS = ['merge', 'compact', 'retention', 'gc'] as const
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number]

/**
 * The tasks done partition by partition, in the order they run on one:
 * retention first, so nothing is rewritten only to be dropped, and merge last,
 * to fold whatever compaction left small.
 */
export const PARTITION_TASKS = [
  'retention',
  'compact',
  'merge',
] as const satisfies readonly MaintenanceTask[]
export type PartitionTask = (typeof PARTITION_TASKS)[number]
