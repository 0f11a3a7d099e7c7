import type { Broker } from '../broker/broker.ts'

/** What every route module is built from. */
export interface HttpDeps {
  readonly broker: Broker
  readonly clusterId: string
}
