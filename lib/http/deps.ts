import type { Broker } from '../broker/broker.ts'
import type { GroupServices } from '../groups/group-services.ts'
import type { Maintenance } from '../maintenance/maintenance.ts'
import type { SchemaRegistry } from '../registry/registry.ts'
import type { ConsumerInstances } from './v2/instances/consumer-instances.ts'

/** What every route module is built from. */
export interface HttpDeps {
  readonly broker: Broker
  readonly groups: GroupServices
  readonly consumerInstances: ConsumerInstances
  readonly maintenance: Maintenance
  readonly registry: SchemaRegistry
  readonly clusterId: string
}
