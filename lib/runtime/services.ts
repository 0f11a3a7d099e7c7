/**
 * Where Sluice is put together. Every entry point (the Lambda functions, the
 * dev server, the Kafka gateway, the fault check, the bench and the tests)
 * builds its services here, so they all run the same wiring and differ only
 * in the options they pass.
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
import { awsGroupStores } from '../storage/aws/group-stores.ts'
import type { AwsClients } from '../storage/aws-clients.ts'
import type { StorageNames } from '../storage/tables.ts'

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

/** The services over one set of tables and one bucket. */
export function createServices(
  clients: AwsClients,
  names: StorageNames,
  options: ServiceOptions = {},
): Services {
  const groupStores = awsGroupStores(clients, names)
  const broker = createBroker(clients, names, {
    ...(options.appender && { appender: options.appender }),
    ...(options.reader && { reader: options.reader }),
  })
  const groups = createGroupServices(groupStores, broker, options.groups)
  return {
    broker,
    groups,
    consumerInstances: createConsumerInstances(
      groupStores.consumerInstances,
      groups.coordinator,
      broker,
      options.consumerInstances,
    ),
    maintenance: new Maintenance(clients, names, options.maintenance),
    registry: createSchemaRegistry(clients, names),
  }
}
