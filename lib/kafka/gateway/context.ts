import type { Broker } from '../../broker/broker.ts'
import type { KnownLogEnds } from '../../broker/known-log-ends.ts'
import type { GroupServices } from '../../groups/group-services.ts'

/** How clients reach this gateway: behind a load balancer, its address, not the node's own. */
export interface AdvertisedNode {
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

/** What every request handler works with. */
export interface GatewayContext {
  readonly broker: Broker
  readonly groups: GroupServices
  readonly clusterId: string
  readonly node: AdvertisedNode
  readonly clock: () => number
  /** The log ends this gateway's fetches have seen: below one, records are there to read. */
  readonly logEnds: KnownLogEnds
}
