import type { LogCommitter, PartitionHeads, SegmentIndex } from './log.ts'
import type { ObjectStore } from './objects.ts'
import type { ProducerStore } from './producers.ts'
import type { TopicStore } from './topics.ts'

/** Every store the log (lib/broker) keeps its state in, of one engine. */
export interface LogStores {
  readonly objects: ObjectStore
  readonly topics: TopicStore
  readonly heads: PartitionHeads
  readonly segments: SegmentIndex
  readonly committer: LogCommitter
  readonly producers: ProducerStore
}
