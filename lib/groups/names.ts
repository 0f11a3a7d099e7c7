import { BadRequestError } from '../errors.ts'
import { InvalidConsumerConfigError } from './errors.ts'

/** Kafka's bound for names that end up in file names, used here for group ids and instance names alike. */
const MAX_NAME_LENGTH = 249

const INSTANCE_NAME = /^[a-zA-Z0-9._-]+$/

/** Kafka accepts any non-empty group id; Sluice bounds its length, as it is a DynamoDB key. */
export function validateGroupId(groupId: string): void {
  if (groupId.length === 0 || groupId.length > MAX_NAME_LENGTH) {
    throw new BadRequestError(
      `A consumer group id must be 1 to ${MAX_NAME_LENGTH} characters long; got ${groupId.length}.`,
    )
  }
}

/** Instance names appear in every URL of the instance, so they keep to URL-safe characters. */
export function validateInstanceName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !INSTANCE_NAME.test(name)) {
    throw new InvalidConsumerConfigError(
      `name '${name}' must be 1 to ${MAX_NAME_LENGTH} ASCII letters, digits, '.', '_' or '-'.`,
    )
  }
}
