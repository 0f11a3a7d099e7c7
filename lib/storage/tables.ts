/**
 * The DynamoDB tables and the S3 bucket, described once. The CDK stack and the
 * local bootstrap both build their resources from these definitions, so the key
 * schema a test runs against is the key schema that gets deployed.
 */

export type KeyAttributeType = 'S' | 'N'

export interface KeyAttribute {
  readonly name: string
  readonly type: KeyAttributeType
}

export interface TableDefinition {
  /** Suffix of the physical table name (`<prefix>-<suffix>` locally). */
  readonly suffix: string
  readonly partitionKey: KeyAttribute
  readonly sortKey?: KeyAttribute
  /** Attribute holding an epoch-seconds expiry, when items of the table expire. */
  readonly timeToLiveAttribute?: string
}

export const tableDefinitions = {
  /** One item per live topic, keyed by name; holds the topic id, partition count and configs. */
  topics: {
    suffix: 'topics',
    partitionKey: { name: 'name', type: 'S' },
  },
  /**
   * One item per partition that has ever been written: its log start and end
   * offsets. A partition without an item is empty, with both offsets at 0.
   */
  partitions: {
    suffix: 'partitions',
    partitionKey: { name: 'partitionKey', type: 'S' },
  },
  /** The segment index: one item per committed byte range of a partition. */
  segments: {
    suffix: 'segments',
    partitionKey: { name: 'partitionKey', type: 'S' },
    sortKey: { name: 'baseOffset', type: 'N' },
  },
  /**
   * One item per partition that maintenance has touched: the lease (holder,
   * epoch, expiry) every index rewrite is fenced by, the compaction checkpoint,
   * and when each task last finished there. Items stay after release, so epochs only grow.
   */
  leases: {
    suffix: 'leases',
    partitionKey: { name: 'partitionKey', type: 'S' },
  },
  /**
   * The API keys a deployed API accepts in api-key auth mode, keyed by the
   * key's public id; each item holds the SHA-256 of the key's secret, never the secret.
   */
  apiKeys: {
    suffix: 'api-keys',
    partitionKey: { name: 'keyId', type: 'S' },
  },
  /**
   * Schema registry items that are not per subject, by key: `schema/<id>` (a
   * schema, immutable), `fingerprint/<sha-256>` (the id a schema, in canonical form, was
   * given, so the same schema keeps one id), `counter/schema-id` (the next id)
   * and `config/global` (the default compatibility level).
   */
  registry: {
    suffix: 'registry',
    partitionKey: { name: 'key', type: 'S' },
  },
  /** One item per schema registry subject: its versions and its own compatibility level. */
  subjects: {
    suffix: 'subjects',
    partitionKey: { name: 'subject', type: 'S' },
  },
  /**
   * Consumer groups: per group id, the group item (`entry` = `group`: epochs,
   * target assignment) and one item per member (`member/<id>`), so one Query
   * reads a whole group.
   */
  groups: {
    suffix: 'groups',
    partitionKey: { name: 'groupId', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
  },
  /** Committed offsets: one item per group and `<topic>/<partition>`. */
  groupOffsets: {
    suffix: 'group-offsets',
    partitionKey: { name: 'groupId', type: 'S' },
    sortKey: { name: 'partitionKey', type: 'S' },
  },
  /**
   * Idempotent producers. Keys (`producerKey` / `entry`): `counter` /
   * `producer-id` (the next producer id), `transactional/<id>` / `producer`
   * (the producer id a transactional id was given), `producer/<id>` /
   * `producer` (its current epoch), and `producer/<id>` /
   * `partition/<topic id>/<partition>`: the producer's sequence state there,
   * with its last batches, written in the transaction that appends them. One
   * Query finds every partition a producer wrote to, so a new epoch can fence
   * them all; partition states expire a week after their last write.
   */
  producers: {
    suffix: 'producers',
    partitionKey: { name: 'producerKey', type: 'S' },
    sortKey: { name: 'entry', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  /** REST Proxy v2 consumer instances, by group and instance name; idle ones expire. */
  consumerInstances: {
    suffix: 'consumer-instances',
    partitionKey: { name: 'groupId', type: 'S' },
    sortKey: { name: 'instanceId', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableDefinition>

export type TableId = keyof typeof tableDefinitions

/** Physical names of the resources one Sluice installation uses. */
export interface StorageNames {
  readonly tables: Readonly<Record<TableId, string>>
  readonly bucket: string
}

/** The environment variable that names a table explicitly, e.g. SLUICE_TOPICS_TABLE. */
export function tableNameVariable(id: TableId): string {
  return `SLUICE_${tableDefinitions[id].suffix.toUpperCase().replaceAll('-', '_')}_TABLE`
}

/** Names derived from a prefix, as the local engines and tests use them. */
export function storageNamesForPrefix(prefix: string): StorageNames {
  const tables = Object.fromEntries(
    Object.entries(tableDefinitions).map(([id, def]) => [id, `${prefix}-${def.suffix}`]),
  ) as Record<TableId, string>
  return { tables, bucket: `${prefix}-data` }
}
