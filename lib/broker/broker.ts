import type { PartitionHeads, SegmentIndex } from '../storage/ports/log.ts'
import type { LogStores } from '../storage/ports/log-stores.ts'
import type { ObjectStore } from '../storage/ports/objects.ts'
import type { ProducerStore } from '../storage/ports/producers.ts'
import { type AppenderOptions, LogAppender } from './appender.ts'
import { LogReader, type ReaderOptions } from './reader.ts'
import { Topics } from './topics.ts'

export interface BrokerOptions {
  readonly appender?: Partial<AppenderOptions>
  readonly reader?: Partial<ReaderOptions>
}

/** The log: topics, and appending and reading their partitions, over one engine's stores. */
export interface Broker {
  readonly topics: Topics
  readonly appender: LogAppender
  readonly producers: ProducerStore
  readonly reader: LogReader
  readonly segments: SegmentIndex
  /** The stored bytes and the partition heads, for paths that serve batches as stored (Kafka's Fetch). */
  readonly objects: ObjectStore
  readonly heads: PartitionHeads
}

export function createBroker(stores: LogStores, options: BrokerOptions = {}): Broker {
  const { objects, heads, segments, committer, producers } = stores
  return {
    topics: new Topics(stores.topics, heads),
    appender: new LogAppender(objects, heads, committer, producers, options.appender),
    producers,
    reader: new LogReader(segments, objects, heads, options.reader),
    segments,
    objects,
    heads,
  }
}
