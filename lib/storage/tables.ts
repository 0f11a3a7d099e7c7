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
