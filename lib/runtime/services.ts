/**
 * Where Sluice is put together. Every entry point (the Lambda functions, the
 * dev server, the Kafka gateway, the fault check, the bench and the tests)
 * builds its services here, so they all run the same wiring and differ only
 * in the options they pass.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type Broker, type BrokerOptions, createBroker } from '../broker/broker.ts'
import {
  createGroupServices,
  type GroupServiceOptions,
  type GroupServices,
} from '../groups/group-services.ts'
import { Maintenance } from '../maintenance/maintenance.ts'
import type { MaintenanceOptions } from '../maintenance/options.ts'
import { createSchemaRegistry, type SchemaRegistry } from '../registry/registry.ts'
import type { AwsClients } from '../storage/aws-clients.ts'
import type { StorageNames } from '../storage/tables.ts'

export interface ServiceOptions extends BrokerOptions {
  readonly maintenance?: Partial<MaintenanceOptions>
  readonly groups?: GroupServiceOptions
}

/** What the front ends (HTTP, Kafka) and the scheduled functions work with. */
export interface Services {
  readonly broker: Broker
  readonly groups: GroupServices
  readonly maintenance: Maintenance
  readonly registry: SchemaRegistry
}

/** The services over one set of tables and one bucket. */
export function createServices(
  clients: AwsClients,
  names: StorageNames,
  options: ServiceOptions = {},
): Services {
  const broker = createBroker(clients, names, {
    ...(options.appender && { appender: options.appender }),
    ...(options.reader && { reader: options.reader }),
  })
  return {
    broker,
    groups: createGroupServices(
      DynamoDBDocumentClient.from(clients.dynamodb),
      names.tables,
      broker,
      options.groups,
    ),
    maintenance: new Maintenance(clients, names, options.maintenance),
    registry: createSchemaRegistry(clients, names),
  }
}
