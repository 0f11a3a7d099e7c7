/** Shared by the maintenance integration tests: brokers, maintenance runs and log snapshots. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { HeadObjectCommand, NotFound } from '@aws-sdk/client-s3'
import { expect } from 'vitest'
import { type Broker, type BrokerOptions, createBroker } from '../../../lib/broker/broker.ts'
import type { ReadRecord } from '../../../lib/broker/reader.ts'
import { Maintenance } from '../../../lib/maintenance/maintenance.ts'
import type { LogLine, MaintenanceOptions } from '../../../lib/maintenance/options.ts'
import type { MaintenanceReport, PartitionReport } from '../../../lib/maintenance/report.ts'
import type { MaintenanceTask } from '../../../lib/maintenance/tasks.ts'
import type { AwsClients } from '../../../lib/storage/aws/clients.ts'
import { S3ObjectStore } from '../../../lib/storage/aws/objects.ts'
import { awsStorage } from '../../../lib/storage/aws/storage-engine.ts'
import { topicObjectPrefix } from '../../../lib/storage/keys.ts'
import type { TopicItem } from '../../../lib/storage/ports/topics.ts'
import { testClients } from '../../support/clients.ts'
import type { SdkClient } from '../../support/faults.ts'
import type { TestStorage } from '../../support/storage.ts'
import { contentOf, indexEntries, readAll } from '../broker/helpers.ts'

export const HOUR = 60 * 60 * 1000

export interface TestActor {
  readonly broker: Broker
  readonly clients: AwsClients
}

/** A broker on its own clients over shared storage: faults put on one actor leave the others alone. */
export function brokerOn(storage: TestStorage, options: BrokerOptions = {}): TestActor {
  const clients = testClients()
  return { broker: createBroker(awsStorage(clients, storage.names), options), clients }
}

export interface TestMaintenance {
  readonly maintenance: Maintenance
  /** The clients it runs on, for faults aimed at this run only. */
  readonly clients: AwsClients
  /** Every structured log line it wrote. */
  readonly logs: LogLine[]
}

/** Maintenance on clients of its own, logging into an array; `aheadMs` moves its clock forward. */
export function maintenanceOn(
  storage: TestStorage,
  { aheadMs = 0, ...options }: Partial<MaintenanceOptions> & { aheadMs?: number } = {},
): TestMaintenance {
  const clients = testClients()
  const logs: LogLine[] = []
  const maintenance = new Maintenance(awsStorage(clients, storage.names), {
    clock: () => Date.now() + aheadMs,
    log: (line) => logs.push(line),
    ...options,
  })
  return { maintenance, clients, logs }
}

export function run(
  maintenance: Maintenance,
  tasks: readonly MaintenanceTask[],
  topics?: readonly string[],
): Promise<MaintenanceReport> {
  return maintenance.run({ tasks, budgetMs: 60_000, ...(topics && { topics }) })
}

/** The report of one partition, which must be there. */
export function partitionReport(
  report: MaintenanceReport,
  topic: string,
  partition = 0,
): PartitionReport {
  const found = report.partitions.find((p) => p.topic === topic && p.partition === partition)
  expect(found, JSON.stringify(report.partitions)).toBeDefined()
  return found as PartitionReport
}

/** Everything a reader sees of a record, bytes as hex. */
export function snapshot(record: ReadRecord) {
  return {
    offset: record.offset,
    timestamp: record.timestamp,
    formats: record.formats,
    ...contentOf(record),
  }
}

/** The whole partition as a reader sees it from its log start. */
export async function readLog(broker: Broker, topic: TopicItem, partition = 0) {
  const { logStartOffset } = await broker.topics.offsets(topic, partition)
  return (await readAll(broker, topic, partition, logStartOffset)).map(snapshot)
}

/** Fails unless every object the partition's index refers to still exists. */
export async function expectReferencedObjectsExist(
  storage: TestStorage,
  broker: Broker,
  topic: TopicItem,
  partition = 0,
): Promise<void> {
  for (const entry of await indexEntries(broker, topic, partition)) {
    const exists = await storage.clients.s3
      .send(new HeadObjectCommand({ Bucket: storage.names.bucket, Key: entry.objectKey }))
      .then(
        () => true,
        (error) => {
          if (error instanceof NotFound) return false
          throw error
        },
      )
    expect(exists, `${entry.objectKey} (offsets ${entry.baseOffset}-${entry.lastOffset})`).toBe(
      true,
    )
  }
}

/** Every object key under the topic's prefix. */
export async function objectKeys(storage: TestStorage, topic: TopicItem): Promise<string[]> {
  const store = new S3ObjectStore(storage.clients.s3, storage.names.bucket)
  const keys: string[] = []
  for await (const object of store.list(topicObjectPrefix(topic.topicId))) keys.push(object.key)
  return keys
}

/** Any SDK v3 client's stack: their types differ, the mechanics do not (as in faults.ts). */
type Stack = DynamoDBClient['middlewareStack']
let installed = 0

/**
 * Runs `action` just before the `n`th matching command the client sends
 * (counting from 1), then sends it — unless `action` throws, which fails the
 * command instead. This is how a test slots another actor's work exactly
 * between two queries of a reader, or stops a run at a chosen step.
 */
export function beforeNthCommand(
  client: SdkClient,
  commandName: string,
  n: number,
  action: () => Promise<void> | void,
): { remove(): void } {
  const name = `sluice-maintenance-before-${++installed}`
  let seen = 0
  const stack = client.middlewareStack as unknown as Stack
  stack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && ++seen === n) await action()
      return next(args)
    },
    { step: 'initialize', priority: 'high', name },
  )
  return { remove: () => stack.remove(name) }
}

/**
 * From the `n`th matching command on, every command of the client fails, as
 * if the process had died there: nothing it would have written afterwards,
 * its lease's release included, reaches the engines.
 */
export function dieAt(client: SdkClient, commandName: string, n: number): { remove(): void } {
  const name = `sluice-maintenance-die-${++installed}`
  let seen = 0
  let dead = false
  const stack = client.middlewareStack as unknown as Stack
  stack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && ++seen === n) dead = true
      if (dead) throw new Error(`simulated crash before ${context.commandName}`)
      return next(args)
    },
    { step: 'initialize', priority: 'high', name },
  )
  return { remove: () => stack.remove(name) }
}
