import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'
import { Kafka, logLevel } from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { KAFKA_GATEWAY_ACCESS } from '../../../lib/infra/kafka-gateway.ts'
import type { TableId } from '../../../lib/storage/tables.ts'
import { useKafkaHarness } from './support.ts'

/** The tables one DynamoDB request names, however it names them. */
function tablesOf(input: Record<string, unknown>): string[] {
  const named = typeof input.TableName === 'string' ? [input.TableName] : []
  const batched = Object.keys((input.RequestItems as object | undefined) ?? {})
  const transacted = (
    (input.TransactItems as Record<string, { TableName: string }>[]) ?? []
  ).flatMap((item) => Object.values(item).map((operation) => operation.TableName))
  return [...named, ...batched, ...transacted]
}

/** Records, passively, which command each client sends, and for DynamoDB on which tables. */
function recordAccess(dynamodb: DynamoDBClient, s3: S3Client) {
  const tables = new Map<string, Set<string>>()
  const objects = new Set<string>()
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      for (const table of tablesOf(args.input as Record<string, unknown>)) {
        const commands = tables.get(table) ?? new Set()
        commands.add(context.commandName ?? 'unknown')
        tables.set(table, commands)
      }
      return next(args)
    },
    { step: 'initialize', name: 'sluice-test-table-access' },
  )
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      objects.add(context.commandName ?? 'unknown')
      return next(args)
    },
    { step: 'initialize', name: 'sluice-test-object-access' },
  )
  return {
    tables,
    objects,
    remove() {
      dynamodb.middlewareStack.remove('sluice-test-table-access')
      s3.middlewareStack.remove('sluice-test-object-access')
    },
  }
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand'])

describe("the gateway's storage access", () => {
  const harness = useKafkaHarness({ sasl: true })

  it('stays within what the deployed task role grants, over admin, produce, fetch and groups', async () => {
    const { http, gateway, issueApiKey } = harness()
    const { keyId, apiKey } = await issueApiKey()
    const { dynamodb, s3 } = http.storage.clients
    const access = recordAccess(dynamodb, s3)
    const kafka = new Kafka({
      brokers: [gateway.bootstrap],
      sasl: { mechanism: 'plain', username: keyId, password: apiKey },
      logLevel: logLevel.NOTHING,
    })
    const admin = kafka.admin()
    const producer = kafka.producer({ idempotent: true })
    const consumer = kafka.consumer({
      groupId: 'access',
      heartbeatInterval: 500,
      maxWaitTimeInMs: 300,
    })
    try {
      await admin.connect()
      await admin.createTopics({ topics: [{ topic: 'access', numPartitions: 1 }] })
      await admin.createPartitions({ topicPartitions: [{ topic: 'access', count: 2 }] })
      await producer.connect()
      await producer.send({ topic: 'access', messages: [{ value: 'one' }, { value: 'two' }] })
      await consumer.connect()
      await consumer.subscribe({ topic: 'access', fromBeginning: true })
      await new Promise<void>((resolve, reject) => {
        let seen = 0
        consumer
          .run({
            eachMessage: async () => {
              if (++seen === 2) resolve()
            },
          })
          .catch(reject)
      })
      await consumer.disconnect()
      await admin.fetchOffsets({ groupId: 'access', topics: ['access'] })
      await admin.fetchTopicOffsets('access')
      await admin.describeGroups(['access'])
      await admin.deleteGroups(['access'])
      await admin.deleteTopics({ topics: ['access'] })
    } finally {
      access.remove()
      await producer.disconnect()
      await admin.disconnect()
    }

    const idOf = new Map(
      Object.entries(http.storage.names.tables).map(([tableId, name]) => [
        name,
        tableId as TableId,
      ]),
    )
    const granted = KAFKA_GATEWAY_ACCESS.tables
    const touched = [...access.tables].map(([name, commands]) => ({
      tableId: idOf.get(name),
      commands: [...commands],
    }))
    // The flow above reaches every table the role grants: none of the grants is idle.
    expect(touched.map((t) => t.tableId).sort()).toEqual(Object.keys(granted).sort())
    for (const { tableId, commands } of touched) {
      expect(tableId && granted[tableId], `${tableId}: ${commands}`).toBeDefined()
      if (tableId && granted[tableId] === 'read') {
        expect(
          commands.filter((command) => !READS.has(command)),
          tableId,
        ).toEqual([])
      }
    }
    expect([...access.objects].sort()).toEqual(['GetObjectCommand', 'PutObjectCommand'])
  }, 120_000)
})
