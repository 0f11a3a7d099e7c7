import { describe, expect, it } from 'vitest'
import {
  resolveTopicConfigs,
  TOPIC_CONFIGS,
  validateTopicConfig,
  validateTopicConfigs,
} from '../../../lib/broker/topic-configs.ts'
import { InvalidConfigError } from '../../../lib/errors.ts'

describe('topic configs', () => {
  it('accepts Kafka values', () => {
    expect(() =>
      validateTopicConfigs({
        'cleanup.policy': 'compact,delete',
        'retention.ms': '-1',
        'retention.bytes': '1073741824',
        'min.cleanable.dirty.ratio': '0.1',
        'message.timestamp.type': 'LogAppendTime',
        'max.message.bytes': '2000000',
      }),
    ).not.toThrow()
  })

  it.each([
    ['retention.ms', 'abc', /must be an integer/],
    ['retention.ms', '-2', /at least -1/],
    ['cleanup.policy', 'bogus', /delete, compact/],
    ['cleanup.policy', 'delete,delete', /delete, compact/],
    ['min.cleanable.dirty.ratio', '1.5', /between 0 and 1/],
    ['min.cleanable.dirty.ratio', '', /between 0 and 1/],
    ['max.message.bytes', '4294967296', /32 bits/],
    ['message.timestamp.type', 'Now', /CreateTime, LogAppendTime/],
  ])('rejects %s=%s naming the problem', (name, value, problem) => {
    expect(() => validateTopicConfig(name, value)).toThrow(InvalidConfigError)
    expect(() => validateTopicConfig(name, value)).toThrow(problem)
  })

  it('rejects unknown names, as Kafka does', () => {
    expect(() => validateTopicConfig('retention.msec', '1')).toThrow(/Unknown topic config/)
  })

  it('resolves overrides over defaults', () => {
    const resolved = resolveTopicConfigs({ 'retention.ms': '1000' })
    expect(resolved).toHaveLength(Object.keys(TOPIC_CONFIGS).length)
    expect(resolved.find((c) => c.name === 'retention.ms')).toEqual({
      name: 'retention.ms',
      value: '1000',
      isDefault: false,
    })
    expect(resolved.find((c) => c.name === 'cleanup.policy')).toEqual({
      name: 'cleanup.policy',
      value: 'delete',
      isDefault: true,
    })
  })
})
