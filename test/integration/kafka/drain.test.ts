import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { API_KEYS } from '../../../lib/kafka/protocol/apis.ts'
import type { MetadataResponse } from '../../../lib/kafka/protocol/messages/metadata-response.ts'
import { gateCommand } from '../../support/faults.ts'
import { WireClient } from '../../support/wire-client.ts'
import { METADATA_ALL_TOPICS, useKafkaHarness } from './support.ts'

describe('draining the gateway', () => {
  const harness = useKafkaHarness()

  it('answers the requests a connection already sent, refuses new connections, then ends it', async () => {
    const { http, gateway } = harness()
    const client = await WireClient.connect(gateway.bootstrap)
    // Metadata for every topic scans the topics table: held there, the request is in flight.
    const gate = gateCommand(http.storage.clients.dynamodb, 'ScanCommand', { times: 1 })
    const metadata = client.frame(API_KEYS.Metadata, 4, METADATA_ALL_TOPICS)
    client.write(metadata.bytes)
    await gate.arrived(1)
    const drained = gateway.drain()

    const refused = connect(gateway.port, '127.0.0.1')
    await expect(
      new Promise((resolve, reject) => {
        refused.once('connect', resolve)
        refused.once('error', reject)
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    gate.open()
    const answer = client.decode<MetadataResponse>(await client.nextFrame(), API_KEYS.Metadata, 4)
    expect(answer.correlationId).toBe(metadata.correlationId)
    expect(answer.body.brokers).toHaveLength(1)
    await client.closed
    await drained
    gate.remove()
  })
})
