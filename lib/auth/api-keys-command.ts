import { parseArgs } from 'node:util'
import type { ApiKeyRecord } from '../storage/ports/api-keys.ts'
import type { ApiKeys } from './api-keys.ts'

export const API_KEYS_USAGE = `Usage: api-keys <command>
  create --name <what the key is for>   issue a key; it is printed once and never stored
  list                                  the keys that work now (ids and names, no secrets)
  revoke <key-id>                       stop a key from working, at once`

const MAX_NAME_LENGTH = 200

export interface CommandOutput {
  /** Standard output: one JSON document per command, for scripts. */
  out(text: string): void
  /** Standard error: usage and failures, for people. */
  err(text: string): void
}

function describe(record: ApiKeyRecord) {
  return {
    key_id: record.keyId,
    name: record.name,
    created_at: new Date(record.createdAt).toISOString(),
  }
}

/**
 * The admin command behind `npm run api-keys`. Returns the process exit code:
 * 0 done, 1 the key to revoke does not exist, 2 a usage error.
 */
export async function runApiKeysCommand(
  argv: readonly string[],
  keys: ApiKeys,
  output: CommandOutput,
  clock: () => number = Date.now,
): Promise<number> {
  const usageError = (message: string) => {
    output.err(`${message}\n${API_KEYS_USAGE}`)
    return 2
  }
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return usageError((error as Error).message)
  }
  const [command, ...operands] = parsed.positionals
  switch (command) {
    case 'create': {
      const name = parsed.values.name?.trim() ?? ''
      if (operands.length > 0) return usageError(`create takes no operands; got '${operands[0]}'.`)
      if (name === '') return usageError('create needs --name, saying what the key is for.')
      if (name.length > MAX_NAME_LENGTH) {
        return usageError(`--name must be at most ${MAX_NAME_LENGTH} characters.`)
      }
      const { record, apiKey } = await keys.issue(name, clock())
      output.out(JSON.stringify({ ...describe(record), api_key: apiKey }))
      output.err('Store the api_key now: only its hash is kept, so it cannot be shown again.')
      return 0
    }
    case 'list': {
      if (operands.length > 0) return usageError(`list takes no operands; got '${operands[0]}'.`)
      output.out(JSON.stringify((await keys.list()).map(describe)))
      return 0
    }
    case 'revoke': {
      const [keyId, ...rest] = operands
      if (keyId === undefined || rest.length > 0) return usageError('revoke takes one key id.')
      if (!(await keys.revoke(keyId))) {
        output.err(`No API key with id '${keyId}'.`)
        return 1
      }
      output.out(JSON.stringify({ key_id: keyId, revoked: true }))
      return 0
    }
    default:
      return usageError(command === undefined ? 'Give a command.' : `Unknown command '${command}'.`)
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { name: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
}
