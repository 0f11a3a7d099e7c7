import { batchOverhead, type EncodedRecord } from './messages.ts'

/** A record waiting to be sent, with the partition it is bound for. */
export interface QueuedRecord<T extends EncodedRecord = EncodedRecord> {
  readonly partition: number
  readonly record: T
  /** When it was queued, on the accumulator's clock. */
  readonly queuedAt: number
}

export interface BatchingOptions {
  /** How long a record may wait for others to join it (Kafka's linger.ms). */
  readonly lingerMs: number
  /** Bytes of one partition's batch (Kafka's batch.size): a full batch is sent at once; 0 sends records one by one. */
  readonly batchSize: number
  /** The largest request body (Kafka's max.request.size). */
  readonly maxRequestBytes: number
}

/**
 * One topic's records waiting to be sent, queued per partition, as Kafka's
 * RecordAccumulator keeps them. The topic is ready to send when a partition
 * holds a full batch or its oldest record has lingered long enough; a drain
 * then takes the first batch of every partition, up to the request limit, so
 * one request carries as many partitions as it can (one S3 object and one
 * commit on the server, however many partitions).
 */
export class RecordAccumulator<T extends EncodedRecord = EncodedRecord> {
  private readonly queues = new Map<number, QueuedRecord<T>[]>()
  private readonly bytes = new Map<number, number>()
  /** Where the next drain starts, so partitions take turns when a request cannot hold them all. */
  private drainFrom = 0
  private count = 0

  constructor(private readonly options: BatchingOptions) {}

  get size(): number {
    return this.count
  }

  append(queued: QueuedRecord<T>): void {
    const queue = this.queues.get(queued.partition)
    if (queue) queue.push(queued)
    else this.queues.set(queued.partition, [queued])
    this.bytes.set(queued.partition, (this.bytes.get(queued.partition) ?? 0) + queued.record.bytes)
    this.count++
  }

  /** When the records queued now become ready by lingering; undefined when nothing is queued. */
  lingerDeadline(): number | undefined {
    let oldest: number | undefined
    for (const queue of this.queues.values()) {
      const head = queue[0]
      if (head && (oldest === undefined || head.queuedAt < oldest)) oldest = head.queuedAt
    }
    return oldest === undefined ? undefined : oldest + this.options.lingerMs
  }

  ready(now: number): boolean {
    if (this.count === 0) return false
    for (const total of this.bytes.values()) if (total >= this.options.batchSize) return true
    return (this.lingerDeadline() as number) <= now
  }

  /**
   * Takes the first batch of each partition while the request has room: a
   * batch is at least one record and at most `batchSize` bytes.
   */
  drain(): QueuedRecord<T>[] {
    const { batchSize, maxRequestBytes } = this.options
    const partitions = [...this.queues.keys()].sort((a, b) => a - b)
    const start = partitions.findIndex((p) => p >= this.drainFrom)
    const order =
      start <= 0 ? partitions : [...partitions.slice(start), ...partitions.slice(0, start)]
    const drained: QueuedRecord<T>[] = []
    let requestBytes = batchOverhead(0)
    for (const partition of order) {
      const queue = this.queues.get(partition) as QueuedRecord<T>[]
      let batchBytes = 0
      let taken = 0
      for (const queued of queue) {
        const size = queued.record.bytes
        const fitsBatch = taken === 0 || batchBytes + size <= batchSize
        const fitsRequest = requestBytes + size + (drained.length > 0 ? 1 : 0) <= maxRequestBytes
        if (!fitsBatch || !fitsRequest) break
        drained.push(queued)
        batchBytes += size
        requestBytes += size + (drained.length > 1 ? 1 : 0)
        taken++
      }
      if (taken === 0) {
        // The request is full: this partition goes first next time.
        this.drainFrom = partition
        break
      }
      queue.splice(0, taken)
      this.count -= taken
      const left = (this.bytes.get(partition) as number) - batchBytes
      if (queue.length === 0) {
        this.queues.delete(partition)
        this.bytes.delete(partition)
      } else {
        this.bytes.set(partition, left)
      }
      this.drainFrom = partition + 1
    }
    return drained
  }
}
