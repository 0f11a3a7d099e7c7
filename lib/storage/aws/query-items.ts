import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb'
import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb'

/** Every item under one partition key, page by page, read strongly consistent. */
export async function* itemsUnder(
  documents: DynamoDBDocumentClient,
  table: string,
  key: Readonly<Record<string, string>>,
): AsyncGenerator<Record<string, NativeAttributeValue>> {
  const [[name, value]] = Object.entries(key) as [[string, string]]
  const pages = paginateQuery(
    { client: documents },
    {
      TableName: table,
      KeyConditionExpression: '#key = :value',
      ExpressionAttributeNames: { '#key': name },
      ExpressionAttributeValues: { ':value': value },
      ConsistentRead: true,
    },
  )
  for await (const page of pages) yield* page.Items ?? []
}
