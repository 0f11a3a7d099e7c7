import type { Broker } from '../broker/broker.ts'
import type { GroupServices } from '../groups/group-services.ts'
import type { Maintenance } from '../maintenance/maintenance.ts'
import type { SchemaRegistry } from '../registry/registry.ts'

/** What every route module is built from. */
export interface HttpDeps {
  readonly broker: Broker
  readonly groups: GroupServices
  readonly maintenance: Maintenance
  readonly registry: SchemaRegistry
  readonly clusterId: string
}
