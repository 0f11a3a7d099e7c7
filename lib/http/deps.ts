import type { Broker } from '../broker/broker.ts'
import type { SchemaRegistry } from '../registry/registry.ts'

/** What every route module is built from. */
export interface HttpDeps {
  readonly broker: Broker
  readonly clusterId: string
  readonly registry: SchemaRegistry
}
