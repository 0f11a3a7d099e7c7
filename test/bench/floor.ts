import { randomBytes, randomUUID } from 'node:crypto'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { AwsClients } from '../../lib/storage/aws/clients.ts'
import type { StorageNames } from '../../lib/storage/tables.ts'
import type { PlannedRequest } from './workload.ts'

/**
 * The storage floor: what a produce request costs the engines with no Sluice in
 * between. One S3 PutObject of the bytes Sluice's ingest object would hold, then
 * one TransactWriteItems of the shape Sluice's commit has (see
 * lib/storage/aws/log-commit.ts): a condition check on a topic item, and per
 * touched partition a conditional head update and a new index item of the same
 * attributes. The items are scratch items no topic owns, and every producer
 * has its own heads, so the floor never loses a race: it is the uncontended
 * minimum that Sluice's figures are compared with.
 *
 * The bare transaction is the least a produce can cost at all: its commit's
 * items in one TransactWriteItems, with the bytes in the index item.
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
          ...this.commitItems(planned, `${this.floorId}-${producer}`, { objectKey }),
        ],
      }),
    )
  }

  /**
   * The commit alone: one TransactWriteItems of the head updates and index
   * items, each index item holding its partition's share of the bytes, with no
   * upload before it and no topic check in it. Heads are its own.
   */
  async bareTransaction(planned: PlannedRequest, producer: number): Promise<void> {
    const owner = `${this.floorId}-bare-${producer}`
    await this.documents.send(
      new TransactWriteCommand({
        TransactItems: this.commitItems(planned, owner, { inline: true }),
      }),
    )
  }

  private commitItems(
    planned: PlannedRequest,
    owner: string,
    bytes: { readonly objectKey: string } | { readonly inline: true },
  ) {
    const now = Date.now()
    const perPartition = Math.ceil(planned.objectBytes / planned.partitionRecords.size)
    return [...planned.partitionRecords].flatMap(([partition, records], i) => {
      const key = `${owner}/${partition}`
      const base = this.heads.get(key) ?? 0
      this.heads.set(key, base + records)
      const where =
        'objectKey' in bytes
          ? { objectKey: bytes.objectKey, byteOffset: i * perPartition, byteLength: perPartition }
          : { bytes: this.bytes.subarray(0, perPartition), byteLength: perPartition }
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
              ...where,
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
  }
}
