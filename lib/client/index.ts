/** The Sluice client: `import { Sluice } from 'sluice/client'`. */
export type {
  CommittedOffset,
  ConfigChange,
  GroupMember,
  GroupOverview,
  NewTopic,
  OffsetTarget,
  PartitionLag,
  PartitionOffsets,
  ResetOffsetsRequest,
  TopicConfig,
  TopicDescription,
} from './admin.ts'
export { Admin } from './admin.ts'
export type { SluiceAuth } from './auth.ts'
export type {
  AssignorName,
  Batch,
  ConsumedMessage,
  ConsumerOptions,
  EachBatchPayload,
  EachMessagePayload,
  RunConfig,
  Subscription,
  TopicPartitionOffset,
} from './consumer.ts'
export { Consumer } from './consumer.ts'
export {
  ClientStateError,
  InvalidArgumentError,
  SluiceClientError,
  SluiceNetworkError,
  SluiceRequestError,
  UnexpectedResponseError,
} from './errors.ts'
export type { AvroValue, JsonValue, Message, MessageValue } from './messages.ts'
export type {
  PayloadType,
  ReadPayload,
  ReadRecord,
  ReadRequest,
  ReadResult,
} from './partition-reader.ts'
export type { ProducerOptions, ProducerRecord, RecordMetadata } from './producer.ts'
export { DEFAULT_BATCHING, Producer } from './producer.ts'
export type { CompatibilityLevel, SubjectVersion } from './schema-registry.ts'
export { SchemaRegistryClient } from './schema-registry.ts'
export type { SluiceOptions } from './sluice.ts'
export { Sluice } from './sluice.ts'
export type { RetryOptions } from './transport.ts'
export { DEFAULT_RETRY } from './transport.ts'
