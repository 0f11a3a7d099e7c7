import { describe, expect, it } from 'vitest'
import {
  API_KEYS,
  requestHeaderVersion,
  SERVED_APIS,
  servedApi,
} from '../../../lib/kafka/protocol/apis.ts'
import { decodeRequestFrame, encodeResponseFrame } from '../../../lib/kafka/protocol/frames.ts'
import { readApiVersionsResponse } from '../../../lib/kafka/protocol/messages/api-versions-response.ts'
import {
  defaultMetadataResponse,
  readMetadataResponse,
  writeMetadataResponse,
} from '../../../lib/kafka/protocol/messages/metadata-response.ts'
import type { ProduceRequest } from '../../../lib/kafka/protocol/messages/produce-request.ts'
import { writeRequestHeader } from '../../../lib/kafka/protocol/messages/request-header.ts'
import { readResponseHeader } from '../../../lib/kafka/protocol/messages/response-header.ts'
import { ProtocolReader } from '../../../lib/kafka/protocol/reader.ts'
import { ProtocolWriter } from '../../../lib/kafka/protocol/writer.ts'
import { decodeRecordBatches } from '../../../lib/log/record-batch.ts'
import { capturedRequests } from './captured-requests.ts'

function decoded(hex: string) {
  const frame = decodeRequestFrame(Buffer.from(hex, 'hex'))
  if (frame.kind !== 'request') throw new Error(`not a request: ${JSON.stringify(frame)}`)
  return frame.request
}

describe('requests captured from real clients', () => {
  it.each(capturedRequests.map((c) => [c.client, c.apiKey, c.apiVersion, c.hex] as const))(
    '%s api %i v%i decodes and re-encodes to the same bytes',
    (_, apiKey, apiVersion, hex) => {
      const request = decoded(hex)
      expect([request.apiKey, request.apiVersion]).toEqual([apiKey, apiVersion])
      const api = servedApi(apiKey)
      if (api === undefined) throw new Error(`api ${apiKey} not served`)
      const writer = new ProtocolWriter()
      writeRequestHeader(writer, requestHeaderVersion(api, apiVersion), {
        requestApiKey: apiKey,
        requestApiVersion: apiVersion,
        correlationId: request.correlationId,
        clientId: request.clientId,
      })
      api.request.write(writer, apiVersion, request.body)
      expect(writer.finish().toString('hex')).toBe(hex)
    },
  )

  it('reads the batches kcat compressed with each codec as the lines it was given', () => {
    const values = capturedRequests
      .filter((c) => c.client === 'kcat' && c.apiKey === API_KEYS.Produce)
      .flatMap((c) => {
        const body = decoded(c.hex).body as ProduceRequest
        return body.topicData.flatMap((topic) =>
          topic.partitionData.flatMap((p) =>
            decodeRecordBatches(p.records ?? new Uint8Array()).map(
              (r) =>
                `${Buffer.from(r.key ?? []).toString()}:${Buffer.from(r.value ?? []).toString()}`,
            ),
          ),
        )
      })
    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      expect(values).toContain(`k1:v1-${codec}`)
      expect(values).toContain(`k2:v2-${codec}`)
    }
  })

  it('names the client that sent each request', () => {
    expect(capturedRequests.map((c) => decoded(c.hex).clientId)).toContain('capture')
    expect(capturedRequests.map((c) => decoded(c.hex).clientId)).toContain('rdkafka')
  })
})

describe('response frames', () => {
  it('writes ApiVersions with header v0 at every version, so any client can read it', () => {
    for (let version = 0; version <= 4; version++) {
      const body = {
        ...SERVED_APIS[API_KEYS.ApiVersions].response.defaults(),
        apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 12 }],
      }
      const frame = encodeResponseFrame(API_KEYS.ApiVersions, version, 42, body)
      const reader = new ProtocolReader(frame.subarray(4))
      expect(frame.readInt32BE(0)).toBe(frame.length - 4)
      expect(readResponseHeader(reader, 0).correlationId).toBe(42)
      expect(readApiVersionsResponse(reader, version).apiKeys).toEqual(body.apiKeys)
      expect(reader.remaining).toBe(0)
    }
  })

  it('round-trips Metadata at every served version, compact and tagged fields included', () => {
    const api = SERVED_APIS[API_KEYS.Metadata]
    for (let version = api.minVersion; version <= api.maxVersion; version++) {
      const message = {
        ...defaultMetadataResponse(),
        brokers: [{ nodeId: 7, host: 'lb.example', port: 9092, rack: null }],
        clusterId: 'local',
        controllerId: 7,
        topics: [
          {
            errorCode: 0,
            name: 'orders',
            topicId: '0123abcd-0000-4000-8000-00000000beef',
            isInternal: false,
            partitions: [
              {
                errorCode: 0,
                partitionIndex: 0,
                leaderId: 7,
                leaderEpoch: 0,
                replicaNodes: [7],
                isrNodes: [7],
                offlineReplicas: [],
              },
            ],
            topicAuthorizedOperations: -2147483648,
          },
        ],
      }
      const writer = new ProtocolWriter()
      writeMetadataResponse(writer, version, message)
      const reader = new ProtocolReader(writer.finish())
      const read = readMetadataResponse(reader, version)
      expect(reader.remaining).toBe(0)
      expect(read.brokers[0]?.host).toBe('lb.example')
      expect(read.topics[0]?.partitions[0]?.replicaNodes).toEqual([7])
      if (version >= 10) expect(read.topics[0]?.topicId).toBe(message.topics[0]?.topicId)
      if (version >= 2) expect(read.clusterId).toBe('local')
    }
  })
})
