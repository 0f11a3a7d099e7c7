import { Admin } from './admin.ts'
import { ClusterPaths } from './cluster.ts'
import { Consumer, type ConsumerOptions } from './consumer.ts'
import { type ReadRequest, type ReadResult, readPartition } from './partition-reader.ts'
import { Producer, type ProducerOptions } from './producer.ts'
import { SchemaRegistryClient } from './schema-registry.ts'
import { Transport, type TransportOptions } from './transport.ts'

export interface SluiceOptions extends TransportOptions {
  /** The cluster id of `/v3/clusters/{id}` paths; asked of the server when absent. */
  readonly clusterId?: string
  /** Names this client's consumer instances (`<clientId>-<uuid>`), as groups show them. */
  readonly clientId?: string
}

/**
 * A client of one Sluice deployment, shaped like kafkajs's `Kafka`: admin,
 * producers and consumers share its URL, authentication and retry settings.
 *
 * ```ts
 * const sluice = new Sluice({ url: 'http://127.0.0.1:8082' })
 * const producer = sluice.producer({ lingerMs: 10 })
 * await producer.send({ topic: 'orders', messages: [{ key: 'alice', value: 'hello' }] })
 * await producer.disconnect()
 * ```
 */
export class Sluice {
  private readonly transport: Transport
  private readonly cluster: ClusterPaths
  private readonly clientId: string

  constructor(options: SluiceOptions) {
    this.transport = new Transport(options)
    this.cluster = new ClusterPaths(this.transport, options.clusterId)
    this.clientId = options.clientId ?? 'sluice'
  }

  admin(): Admin {
    return new Admin(this.transport, this.cluster)
  }

  producer(options: ProducerOptions = {}): Producer {
    return new Producer(this.transport, this.cluster, options)
  }

  consumer(options: ConsumerOptions): Consumer {
    return new Consumer(this.transport, this.clientId, options)
  }

  /** The schema registry served on the same URL. */
  registry(): SchemaRegistryClient {
    return new SchemaRegistryClient(this.transport)
  }

  /** One page of a partition, read without a consumer group. */
  readPartition(request: ReadRequest): Promise<ReadResult> {
    return readPartition(this.transport, this.cluster, request)
  }
}
