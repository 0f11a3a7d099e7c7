import { describe, expect, it } from 'vitest'
import {
  CommitOutcomeUnknownError,
  OutOfOrderSequenceError,
  TopicNotFoundError,
} from '../../../lib/errors.ts'
import { UnknownMemberIdError } from '../../../lib/groups/errors.ts'
import { confluentCode, statusOf } from '../../../lib/http/confluent-codes.ts'
import { SchemaMissingError, SubjectNotFoundError } from '../../../lib/registry/errors.ts'

describe('Confluent codes', () => {
  it('are the REST Proxy and Schema Registry codes clients act on', () => {
    expect(confluentCode(new TopicNotFoundError('t'))).toBe(40401)
    expect(confluentCode(new SubjectNotFoundError('s'))).toBe(40401)
    expect(confluentCode(new OutOfOrderSequenceError(0, 1, 2))).toBe(40904)
    expect(confluentCode(new UnknownMemberIdError('m'))).toBe(40903)
    expect(confluentCode(new CommitOutcomeUnknownError('lost'))).toBe(50004)
  })

  it('follow the error where its fields decide: a missing key schema is not a missing value schema', () => {
    expect(confluentCode(new SchemaMissingError('key'))).toBe(42201)
    expect(confluentCode(new SchemaMissingError('value'))).toBe(42202)
  })

  it('give the HTTP status by their first three digits', () => {
    expect(statusOf(40401)).toBe(404)
    expect(statusOf(50003)).toBe(500)
    expect(statusOf(415)).toBe(415)
  })
})
