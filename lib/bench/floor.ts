import { randomBytes, randomUUID } from 'node:crypto'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../storage/aws-clients.ts'
import type { StorageNames } from '../storage/tables.ts'
import type { PlannedRequest } from './workload.ts'

/**
 * The storage floor: what a produce request costs the engines with no Sluice in
 * between. One S3 PutObject of the bytes Sluice's ingest object would hold, then
 * one TransactWriteItems of the shape Sluice's commit has (see
 * lib/storage/log-commit.ts): a condition check on a topic item, and per
 * touched partition a conditional head update and a new index item of the same
 * attributes. The items are scratch items no topic owns, and every producer
 * has its own heads, so the floor never loses a race: it is the uncontended
 * minimum that Sluice's figures are compared with.
 */
export class StorageFloor {
  private readonly documents: DynamoDBDocumentClient
  /** Bytes the objects are cut from; PutObject only reads them. */
  private readonly bytes: Buffer
  private readonly heads = new Map<string, number>()
  private readonly floorId = randomUUID()
  private readonly topicName = `__bench-floor-${this.floorId}`

  constructor(
    private readonly clients: AwsClients,
    private readonly names: StorageNames,
    maxObjectBytes: number,
  ) {
    this.documents = DynamoDBDocumentClient.from(clients.dynamodb)
    this.bytes = randomBytes(maxObjectBytes)
  }

  /** Creates the scratch topic item the transactions check, as Sluice's check its topic. */
  async prepare(): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.names.tables.topics,
        Item: { name: this.topicName, topicId: this.floorId, partitionsCount: 0, configs: {} },
      }),
    )
  }

  async request(planned: PlannedRequest, producer: number): Promise<void> {
    const objectKey = `bench-floor/${this.floorId}/ingest/${randomUUID()}`
    await this.clients.s3.send(
      new PutObjectCommand({
        Bucket: this.names.bucket,
        Key: objectKey,
        Body: this.bytes.subarray(0, planned.objectBytes),
        ContentLength: planned.objectBytes,
        ContentType: 'application/octet-stream',
      }),
    )
    const now = Date.now()
    const perPartition = Math.ceil(planned.objectBytes / planned.partitionRecords.size)
    const items = [...planned.partitionRecords].flatMap(([partition, records], i) => {
      const key = `${this.floorId}-${producer}/${partition}`
      const base = this.heads.get(key) ?? 0
      this.heads.set(key, base + records)
      return [
        {
          Update: {
            TableName: this.names.tables.partitions,
            Key: { partitionKey: key },
            UpdateExpression:
              'SET logEndOffset = :end, logStartOffset = if_not_exists(logStartOffset, :zero), updatedAt = :now',
            ConditionExpression:
              base === 0
                ? 'attribute_not_exists(partitionKey) OR logEndOffset = :base'
                : 'logEndOffset = :base',
            ExpressionAttributeValues: {
              ':base': base,
              ':end': base + records,
              ':zero': 0,
              ':now': now,
            },
          },
        },
        {
          Put: {
            TableName: this.names.tables.segments,
            Item: {
              partitionKey: key,
              baseOffset: base,
              lastOffset: base + records - 1,
              recordCount: records,
              objectKey,
              byteOffset: i * perPartition,
              byteLength: perPartition,
              minTimestamp: now,
              maxTimestamp: now,
              formats: `${records}:SB`,
              createdAt: now,
            },
            ConditionExpression: 'attribute_not_exists(baseOffset)',
          },
        },
      ]
    })
    await this.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: this.names.tables.topics,
              Key: { name: this.topicName },
              ConditionExpression: 'topicId = :topicId',
              ExpressionAttributeValues: { ':topicId': this.floorId },
            },
          },
          ...items,
        ],
      }),
    )
  }
}
