import { inject } from 'vitest'

/** A client command the tests run, or why the machine could not provide it. */
export type ClientCommand = { readonly command: string } | { readonly unavailable: string }

declare module 'vitest' {
  export interface ProvidedContext {
    /** kcat and a Python importing confluent-kafka, found or installed once per run. */
    kafkaClients: { readonly kcat: ClientCommand; readonly confluentKafkaPython: ClientCommand }
  }
}

export class KafkaClientUnavailableError extends Error {
  override name = 'KafkaClientUnavailableError'
}

/** The command for `client`; fails the test with the reason when it is unavailable. */
export function kafkaClientCommand(client: 'kcat' | 'confluentKafkaPython'): string {
  const provided = inject('kafkaClients')[client]
  if ('unavailable' in provided) throw new KafkaClientUnavailableError(provided.unavailable)
  return provided.command
}
