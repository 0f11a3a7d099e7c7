import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb'
import { backoff } from '../../common/backoff.ts'

type Item = Record<string, NativeAttributeValue>

const BATCH_GET_LIMIT = 100
const UNPROCESSED_BACKOFF = { baseMs: 20, capMs: 1000 }

/**
 * Strongly consistent reads of many items of one table, 100 keys a request.
 * Throttled keys come back unprocessed and go round again after a backoff.
 * Items that do not exist are simply absent from the answer.
 */
export async function batchGetItems(
  documents: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
): Promise<Item[]> {
  const items: Item[] = []
  let pending = [...keys]
  let throttledRounds = 0
  while (pending.length > 0) {
    const chunk = pending.slice(0, BATCH_GET_LIMIT)
    pending = pending.slice(BATCH_GET_LIMIT)
    const response = await documents.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: chunk, ConsistentRead: true } } }),
    )
    items.push(...(response.Responses?.[table] ?? []))
    const unprocessed = response.UnprocessedKeys?.[table]?.Keys ?? []
    if (unprocessed.length > 0) {
      pending.push(...unprocessed)
      await backoff(throttledRounds++, UNPROCESSED_BACKOFF)
    }
  }
  return items
}
