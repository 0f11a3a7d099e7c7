import type { ScratchEnvironment } from '../../lib/local/scratch-environment.ts'
import type { Services } from '../../lib/runtime/services.ts'
import type { BenchPlan, ProduceCell } from './cells.ts'
import type { InProcessClient } from './http-client.ts'
import type { RequestCounter } from './request-counter.ts'
import type { ValuePool } from './workload.ts'

/**
 * What every cell runs against: one set of services, one app, one Kafka
 * gateway and one counter for the whole run.
 */
export interface CellContext {
  readonly plan: BenchPlan
  readonly environment: ScratchEnvironment
  readonly services: Services
  readonly client: InProcessClient
  /** host:port of the Kafka gateway, on a loopback port of this process. */
  readonly kafkaBootstrap: string
  readonly counter: RequestCounter
  readonly pool: ValuePool
}

/** The topic a cell produces to and its read-back reads from. */
export function cellTopic(cell: ProduceCell): string {
  return `bench-${cell.id}`
}
