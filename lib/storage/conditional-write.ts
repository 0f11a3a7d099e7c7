import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'

/** Runs a conditional write; false when DynamoDB refused it because its condition did not hold. */
export async function conditionHeld(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write()
    return true
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false
    throw error
  }
}

/** Runs a conditional write, turning a failed condition into the error that explains it. */
export async function conditionalWrite(
  write: () => Promise<unknown>,
  explain: () => Error | Promise<Error>,
): Promise<void> {
  if (!(await conditionHeld(write))) throw await explain()
}
