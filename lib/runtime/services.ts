/**
 * Where Sluice is put together. Every entry point (the Lambda functions, the
 * dev server, the Kafka gateway, the fault check, the bench and the tests)
 * builds its services here, so they all run the same wiring and differ only
 * in the storage engine and the options they pass.
 */
import { type Broker, type BrokerOptions, createBroker } from '../broker/broker.ts'
import type { GroupOptions } from '../groups/group-options.ts'
import { createGroupServices, type GroupServices } from '../groups/group-services.ts'
import {
  type ConsumerInstances,
  createConsumerInstances,
} from '../http/v2/instances/consumer-instances.ts'
import type { InstanceOptions } from '../http/v2/instances/instance-options.ts'
import { Maintenance } from '../maintenance/maintenance.ts'
import type { MaintenanceOptions } from '../maintenance/options.ts'
import { createSchemaRegistry, type SchemaRegistry } from '../registry/registry.ts'
import type { StorageEngine } from '../storage/ports/storage-engine.ts'

/** Group and v2 consumer timers: Kafka's and the REST Proxy's by default, shorter in tests. */
export interface GroupTimers {
  readonly groups?: Partial<GroupOptions>
  readonly consumerInstances?: Partial<InstanceOptions>
}

export interface ServiceOptions extends BrokerOptions, GroupTimers {
  readonly maintenance?: Partial<MaintenanceOptions>
}

/** What the front ends (HTTP, Kafka) and the scheduled functions work with. */
export interface Services {
  readonly broker: Broker
  readonly groups: GroupServices
  /** The REST v2 API's stateful consumers, members of the groups above. */
  readonly consumerInstances: ConsumerInstances
  readonly maintenance: Maintenance
  readonly registry: SchemaRegistry
}

/** The services over one storage engine: AWS's (lib/storage/aws) or memory (lib/storage/memory). */
export function createServices(storage: StorageEngine, options: ServiceOptions = {}): Services {
  const broker = createBroker(storage, {
    ...(options.appender && { appender: options.appender }),
    ...(options.reader && { reader: options.reader }),
  })
  const groups = createGroupServices(storage, broker, options.groups)
  return {
    broker,
    groups,
    consumerInstances: createConsumerInstances(
      storage.consumerInstances,
      groups.coordinator,
      broker,
      options.consumerInstances,
    ),
    maintenance: new Maintenance(storage, options.maintenance),
    registry: createSchemaRegistry(storage),
  }
}
