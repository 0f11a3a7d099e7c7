import { UnexpectedResponseError } from './errors.ts'
import { segment, type Transport } from './transport.ts'

interface ClusterList {
  readonly data: readonly { readonly cluster_id: string }[]
}

/**
 * Builds `/v3/clusters/{cluster_id}/...` paths. The id is the one given, or
 * the one the server lists (`local` in development, `sluice:clusterId` on AWS),
 * asked once and then remembered.
 */
export class ClusterPaths {
  private clusterId: Promise<string> | undefined

  constructor(
    private readonly transport: Transport,
    clusterId?: string,
  ) {
    if (clusterId !== undefined) this.clusterId = Promise.resolve(clusterId)
  }

  /** `rest` is appended as it is: encode names in it with `segment`. */
  async path(rest: string): Promise<string> {
    return `/v3/clusters/${segment(await this.id())}/${rest}`
  }

  /** The cluster id: the one given, or the first the server lists. */
  id(): Promise<string> {
    this.clusterId ??= this.transport
      .json<ClusterList>({ method: 'GET', path: '/v3/clusters' })
      .then((list) => {
        const [first] = list.data
        if (!first) throw new UnexpectedResponseError('GET /v3/clusters lists no cluster.')
        return first.cluster_id
      })
    // A failed lookup (server not up yet) is asked again next time.
    this.clusterId.catch(() => {
      this.clusterId = undefined
    })
    return this.clusterId
  }
}
