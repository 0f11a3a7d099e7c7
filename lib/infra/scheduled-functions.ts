import { Duration } from 'aws-cdk-lib'
import type { ScheduledFunctionSpec } from './scheduled-function.ts'

/**
 * Every scheduled function of the stack, declared once: the stack deploys
 * exactly this list, and the `schedules` prop of `Sluice` is keyed by `name`.
 * A run stops starting work when its time budget (the Lambda timeout less a
 * reserve) runs low, and the next run carries on.
 */
export const SCHEDULED_FUNCTIONS = [
  {
    name: 'compaction',
    entry: 'functions/compaction.ts',
    description:
      'Sluice compaction: merges small index entries into segments, compacts keyed topics',
    defaultRate: Duration.minutes(10),
    timeout: Duration.minutes(5),
    // Merging holds a segment's records in memory.
    memorySize: 1024,
    access: {
      tables: {
        topics: 'read',
        segments: 'read-write',
        partitions: 'read-write',
        leases: 'read-write',
      },
      bucket: ['read', 'put'],
    },
  },
  {
    name: 'retention',
    entry: 'functions/retention.ts',
    description:
      'Sluice retention and garbage collection: drops expired segments, deletes unreferenced objects',
    defaultRate: Duration.minutes(15),
    timeout: Duration.minutes(5),
    memorySize: 512,
    access: {
      tables: {
        topics: 'read',
        segments: 'read-write',
        partitions: 'read-write',
        leases: 'read-write',
      },
      bucket: ['list', 'delete'],
    },
  },
  {
    name: 'group-sweep',
    entry: 'functions/group-sweep.ts',
    description:
      'Sluice consumer-group sweep: expires members and idle consumer instances past their timeouts',
    defaultRate: Duration.minutes(1),
    timeout: Duration.minutes(1),
    memorySize: 512,
    access: {
      tables: {
        topics: 'read',
        groups: 'read-write',
        groupOffsets: 'read-write',
        consumerInstances: 'read-write',
      },
      bucket: [],
    },
  },
] as const satisfies readonly ScheduledFunctionSpec[]

export type ScheduledFunctionName = (typeof SCHEDULED_FUNCTIONS)[number]['name']
