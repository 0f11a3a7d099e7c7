import { describe, expect, it } from 'vitest'
import { MAX_TOPIC_NAME_LENGTH, validateTopicName } from '../../../lib/broker/topic-names.ts'
import { InvalidTopicError } from '../../../lib/errors.ts'

describe('topic names', () => {
  it.each(['orders', 'a', 'A.b_c-9', 'x'.repeat(MAX_TOPIC_NAME_LENGTH)])('accepts %s', (name) => {
    expect(() => validateTopicName(name)).not.toThrow()
  })

  it.each(['', '.', '..', 'x'.repeat(MAX_TOPIC_NAME_LENGTH + 1), 'a b', 'caf\u00e9', 'a/b', 'a:b'])(
    'rejects %j',
    (name) => {
      expect(() => validateTopicName(name)).toThrow(InvalidTopicError)
    },
  )
})
