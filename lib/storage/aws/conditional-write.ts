import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb'

/** An item as DynamoDB returned it with a refused condition; undefined when there is none. */
export type CurrentItem = Record<string, NativeAttributeValue> | undefined

/**
 * Tells, from the item as it is now, whether this write's own effect is
 * already there. The write must ask for the item with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`.
 */
export type OwnWriteCheck = (current: CurrentItem) => boolean

/**
 * Runs a conditional write; false when DynamoDB refused it because its condition did not hold.
 *
 * The SDK sends a write again when the answer to an attempt is lost, and the
 * retry meets the item the first attempt already changed: a create finds the
 * item, a delete finds none, and the condition fails on the write's own
 * effect. So when the SDK had to retry, `isOwnWrite` looks at the item
 * returned with the refusal and may count the write as done. A refusal on the
 * first attempt is always a refusal.
 */
export async function conditionHeld(
  write: () => Promise<unknown>,
  isOwnWrite?: OwnWriteCheck,
): Promise<boolean> {
  try {
    await write()
    return true
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error
    const retried = (error.$metadata.attempts ?? 1) > 1
    return retried && (isOwnWrite?.(error.Item && unmarshall(error.Item)) ?? false)
  }
}

/** Runs a conditional write, turning a failed condition into the error that explains it. */
export async function conditionalWrite(
  write: () => Promise<unknown>,
  explain: () => Error | Promise<Error>,
  isOwnWrite?: OwnWriteCheck,
): Promise<void> {
  if (!(await conditionHeld(write, isOwnWrite))) throw await explain()
}
