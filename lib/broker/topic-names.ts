import { InvalidTopicError } from '../errors.ts'

/** Kafka's limit: a topic's name must leave room for a partition suffix in a 255-byte file name. */
export const MAX_TOPIC_NAME_LENGTH = 249

const LEGAL = /^[a-zA-Z0-9._-]+$/

/** Kafka's rules for topic names (`org.apache.kafka.common.internals.Topic.validate`). */
export function validateTopicName(name: string): void {
  if (name.length === 0) throw new InvalidTopicError('Topic name is empty.')
  if (name === '.' || name === '..') throw new InvalidTopicError(`Topic name cannot be '${name}'.`)
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError(
      `Topic name is ${name.length} characters long; the limit is ${MAX_TOPIC_NAME_LENGTH}.`,
    )
  }
  if (!LEGAL.test(name)) {
    throw new InvalidTopicError(
      `Topic name '${name}' is illegal: only ASCII letters, digits, '.', '_' and '-' are allowed.`,
    )
  }
}
