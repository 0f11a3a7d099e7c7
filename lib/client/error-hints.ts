/**
 * What to do about an error, for the Confluent codes where the message alone
 * leaves a user guessing. A code shared by unrelated errors is narrowed by
 * the message it came with.
 */
const HINTS: readonly { readonly code: number; readonly when?: RegExp; readonly hint: string }[] = [
  {
    code: 40401,
    when: /^Topic '/,
    hint: 'create it first: `sluice topics create <topic>` (or POST /v3/clusters/{cluster}/topics).',
  },
  {
    code: 40002,
    when: /compacted/,
    hint: 'give every record a key (`sluice produce --key-separator :` reads `key:value` lines).',
  },
  {
    code: 413,
    when: /max\.message\.bytes/,
    hint: 'send smaller records, or raise the limit: `sluice topics alter <topic> --config max.message.bytes=<n>`.',
  },
  {
    code: 41601,
    hint: 'start at earliest or latest, or at an offset inside the range the message names.',
  },
  {
    code: 40101,
    hint: 'send an API key (`--api-key` or SLUICE_API_KEY); `sluice api-keys create` issues one.',
  },
  {
    code: 40903,
    when: /NON_EMPTY_GROUP/,
    hint: 'stop the consumers of the group first; `sluice groups describe <group>` lists them.',
  },
  {
    code: 42207,
    hint: 'register the schema first (`sluice schemas register`) or name one the registry holds.',
  },
  { code: 429, hint: 'too many requests at once: send again after a moment.' },
  { code: 50003, hint: 'the storage was busy: sending the same request again is safe.' },
]

/** A hint for this error code and message, if one helps. */
export function hintFor(errorCode: number, message: string): string | undefined {
  return HINTS.find(({ code, when }) => code === errorCode && (when?.test(message) ?? true))?.hint
}
