import type { TestProject } from 'vitest/node'
import { confluentKafkaPython } from './confluent-kafka.ts'
import type { ClientCommand } from './kafka-clients.ts'
import { resolveKcat } from './kcat.ts'

/**
 * Finds kcat and confluent-kafka, or installs them into the cache, once before
 * any test file runs. A client that cannot be had fails only the tests that
 * drive it, with the reason.
 */
export default async function setup(project: TestProject) {
  const [kcat, python] = await Promise.all([settle(resolveKcat()), settle(confluentKafkaPython())])
  project.provide('kafkaClients', { kcat, confluentKafkaPython: python })
}

async function settle(command: Promise<string>): Promise<ClientCommand> {
  return command.then(
    (resolved) => ({ command: resolved }),
    (error: unknown) => ({ unavailable: error instanceof Error ? error.message : String(error) }),
  )
}
