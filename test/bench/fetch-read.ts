import { performance } from 'node:perf_hooks'
import { API_KEYS } from '../../lib/kafka/protocol/apis.ts'
import { ErrorCode } from '../../lib/kafka/protocol/error-codes.ts'
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  type FetchRequest,
} from '../../lib/kafka/protocol/messages/fetch-request.ts'
import type { FetchResponse } from '../../lib/kafka/protocol/messages/fetch-response.ts'
import { batchByteLength, readBatchHeader } from '../../lib/log/record-batch.ts'
import { WireClient } from '../support/wire-client.ts'

/**
 * librdkafka's defaults: fetch.max.bytes, max.partition.fetch.bytes and
 * fetch.wait.max.ms (which never comes into play: every fetch finds records).
 */
const LIMITS = { maxBytes: 50 * 1024 * 1024, partitionMaxBytes: 1024 * 1024, maxWaitMs: 500 }
/** The gateway's highest Fetch version; from 13 on, requests name topics by id. */
const FETCH_VERSION = 12

/** One partition read from an offset to its end with Fetch requests. */
export interface FetchRun {
  readonly fetches: number
  readonly records: number
  /** Bytes of the record batches received: framing, keys and values. */
  readonly batchBytes: number
  readonly elapsedMs: number
  readonly latenciesMs: readonly number[]
}

/** What one answer's record batches hold: records, and the offset after the last one. */
function walkBatches(bytes: Uint8Array): { records: number; nextOffset: number | undefined } {
  let records = 0
  let nextOffset: number | undefined
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position)
    records += header.recordsCount
    nextOffset = header.baseOffset + header.lastOffsetDelta + 1
    position += batchByteLength(header)
  }
  return { records, nextOffset }
}

function fetchRequest(topic: string, partition: number, fetchOffset: number): FetchRequest {
  const { maxBytes, partitionMaxBytes, maxWaitMs } = LIMITS
  return {
    ...defaultFetchRequest(),
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes,
    topics: [
      {
        topic,
        topicId: '00000000-0000-0000-0000-000000000000',
        partitions: [
          { ...defaultFetchRequestFetchPartition(), partition, fetchOffset, partitionMaxBytes },
        ],
      },
    ],
  }
}

/**
 * Reads a partition from `from` to `endOffset` through the Kafka gateway, one
 * Fetch after another on one connection, as a consumer of one partition does.
 * Batches are walked by their headers only, to find where the next fetch
 * starts; their records are not decoded, which a client's cost would be.
 */
export async function fetchToEnd(
  bootstrap: string,
  topic: string,
  partition: number,
  from: number,
  endOffset: number,
): Promise<FetchRun> {
  const client = await WireClient.connect(bootstrap)
  try {
    const latenciesMs: number[] = []
    let records = 0
    let batchBytes = 0
    const started = performance.now()
    for (let offset = from; offset < endOffset; ) {
      const fetchStarted = performance.now()
      const response = await client.send<FetchResponse>(
        API_KEYS.Fetch,
        FETCH_VERSION,
        fetchRequest(topic, partition, offset),
      )
      latenciesMs.push(performance.now() - fetchStarted)
      const answer = response.responses[0]?.partitions[0]
      if (answer === undefined || answer.errorCode !== ErrorCode.NONE) {
        throw new Error(`Fetch of '${topic}'/${partition} at ${offset}: error ${answer?.errorCode}`)
      }
      const bytes = answer.records ?? new Uint8Array(0)
      const batches = walkBatches(bytes)
      if (batches.nextOffset === undefined) {
        throw new Error(`Fetch of '${topic}'/${partition} stalled at offset ${offset}`)
      }
      records += batches.records
      batchBytes += bytes.length
      offset = batches.nextOffset
    }
    const elapsedMs = performance.now() - started
    return { fetches: latenciesMs.length, records, batchBytes, elapsedMs, latenciesMs }
  } finally {
    client.close()
  }
}
