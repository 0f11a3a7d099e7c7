import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { configFromEnv } from '../lib/config.ts'
import { ApiKeyTable } from '../lib/http/auth/api-key-table.ts'
import { runApiKeysCommand } from '../lib/http/auth/api-keys-command.ts'
import { createAwsClients } from '../lib/storage/aws-clients.ts'

// The table comes from SLUICE_API_KEYS_TABLE (the stack's ApiKeysTable output) or SLUICE_TABLE_PREFIX.
const { names } = configFromEnv()
const table = new ApiKeyTable(
  DynamoDBDocumentClient.from(createAwsClients().dynamodb),
  names.tables.apiKeys,
)
process.exitCode = await runApiKeysCommand(process.argv.slice(2), table, {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
})
