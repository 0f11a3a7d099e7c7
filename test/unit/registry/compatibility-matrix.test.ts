import { describe, expect, it } from 'vitest'
import { compatibilityProblems, type EarlierVersion } from '../../../lib/registry/compatibility.ts'
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
} from '../../../lib/registry/compatibility-levels.ts'
import { type ParsedSchema, parseSchema } from '../../../lib/registry/schema-types.ts'

/**
 * Schema changes against every level, with the verdicts of Avro's resolution
 * rules as Confluent's registry applies them: BACKWARD means the new schema
 * reads old data, FORWARD that old schemas read new data, FULL both.
 */

type Field = readonly [name: string, type: unknown, ...fallback: unknown[]]

function record(...fields: Field[]): ParsedSchema {
  return parseSchema({
    schema: JSON.stringify({
      type: 'record',
      name: 'Event',
      fields: fields.map(([name, type, ...fallback]) => ({
        name,
        type,
        ...(fallback.length > 0 && { default: fallback[0] }),
      })),
    }),
  })
}

function versions(...schemas: ParsedSchema[]): EarlierVersion[] {
  return schemas.map((schema, i) => ({ version: i + 1, schema }))
}

/** v1 has a required field `c` and a field `d` with a default. */
const V1 = record(['a', 'int'], ['c', 'string'], ['d', 'string', 'x'])

type Verdicts = Record<'BACKWARD' | 'FORWARD' | 'FULL', boolean>

const CHANGES: readonly [change: string, next: ParsedSchema, verdicts: Verdicts][] = [
  [
    'a field added with a default',
    record(['a', 'int'], ['c', 'string'], ['d', 'string', 'x'], ['e', 'int', 0]),
    { BACKWARD: true, FORWARD: true, FULL: true },
  ],
  [
    'a field added without a default',
    record(['a', 'int'], ['c', 'string'], ['d', 'string', 'x'], ['e', 'int']),
    { BACKWARD: false, FORWARD: true, FULL: false },
  ],
  [
    'a field with a default removed',
    record(['a', 'int'], ['c', 'string']),
    { BACKWARD: true, FORWARD: true, FULL: true },
  ],
  [
    'a field without a default removed',
    record(['a', 'int'], ['d', 'string', 'x']),
    { BACKWARD: true, FORWARD: false, FULL: false },
  ],
  [
    'a type widened (int to long)',
    record(['a', 'long'], ['c', 'string'], ['d', 'string', 'x']),
    { BACKWARD: true, FORWARD: false, FULL: false },
  ],
  [
    'a type narrowed (string to int)',
    record(['a', 'int'], ['c', 'int'], ['d', 'string', 'x']),
    { BACKWARD: false, FORWARD: false, FULL: false },
  ],
  [
    'a union widened with null',
    record(['a', ['null', 'int'], null], ['c', 'string'], ['d', 'string', 'x']),
    { BACKWARD: true, FORWARD: false, FULL: false },
  ],
]

function verdict(level: CompatibilityLevel, verdicts: Verdicts): boolean {
  if (level === 'NONE') return true
  return verdicts[level.replace('_TRANSITIVE', '') as keyof Verdicts]
}

describe('the compatibility matrix against one earlier version', () => {
  for (const [change, next, verdicts] of CHANGES) {
    for (const level of COMPATIBILITY_LEVELS) {
      const accepted = verdict(level, verdicts)
      it(`${level}: ${change} is ${accepted ? 'accepted' : 'rejected'}`, () => {
        const problems = compatibilityProblems(next, versions(V1), level)
        expect(problems.length === 0, problems.join('\n')).toBe(accepted)
        for (const problem of problems) expect(problem).toMatch(new RegExp(`^${level}: `))
      })
    }
  }
})

describe('transitive levels check every earlier version, the others only the latest', () => {
  // Each history passes against its latest version and fails against the first.
  const histories: [family: string, history: ParsedSchema[], next: ParsedSchema][] = [
    [
      'BACKWARD',
      [record(['a', 'int']), record(['a', 'int'], ['e', 'int', 0])],
      record(['a', 'int'], ['e', 'int']),
    ],
    [
      'FORWARD',
      [record(['a', 'int'], ['c', 'string']), record(['a', 'int'], ['c', 'string', 'x'])],
      record(['a', 'int']),
    ],
    [
      'FULL',
      [record(['a', 'int'], ['c', 'string']), record(['a', 'int'], ['c', 'string', 'x'])],
      record(['a', 'int']),
    ],
  ]
  for (const [family, history, next] of histories) {
    it(`${family} accepts what ${family}_TRANSITIVE rejects`, () => {
      const earlier = versions(...history)
      expect(compatibilityProblems(next, earlier, family as CompatibilityLevel)).toEqual([])
      const problems = compatibilityProblems(
        next,
        earlier,
        `${family}_TRANSITIVE` as CompatibilityLevel,
      )
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(/version 1/)
    })
  }
})

describe('messages name what breaks', () => {
  it('names a field missing a default, a type that cannot be read, and the direction', () => {
    const next = record(['a', 'string'], ['c', 'string'], ['d', 'string', 'x'], ['e', 'int'])
    expect(compatibilityProblems(next, versions(V1), 'FULL')).toEqual([
      expect.stringMatching(
        /^FULL: the new schema cannot read data written with version 1, at 'a': the reader's string cannot read the writer's int$/,
      ),
      expect.stringMatching(
        /^FULL: version 1 cannot read data written with the new schema, at 'a': the reader's int cannot read the writer's string$/,
      ),
    ])
    const added = record(['a', 'int'], ['c', 'string'], ['d', 'string', 'x'], ['e', 'int'])
    expect(compatibilityProblems(added, versions(V1), 'BACKWARD')).toEqual([
      expect.stringMatching(/at 'e': the reader's field 'e' has no default value/),
    ])
  })

  it('names nested fields, enum symbols and renamed records', () => {
    const nested = (zip: string, symbols: string[]) =>
      parseSchema({
        schema: JSON.stringify({
          type: 'record',
          name: 'Order',
          fields: [
            {
              name: 'address',
              type: { type: 'record', name: 'Address', fields: [{ name: 'zip', type: zip }] },
            },
            { name: 'state', type: { type: 'enum', name: 'State', symbols } },
          ],
        }),
      })
    expect(
      compatibilityProblems(
        nested('int', ['NEW']),
        versions(nested('string', ['NEW'])),
        'BACKWARD',
      ),
    ).toEqual([
      expect.stringMatching(/at 'address\.zip': the reader's int cannot read the writer's string/),
    ])
    expect(
      compatibilityProblems(
        nested('string', ['NEW']),
        versions(nested('string', ['NEW', 'PAID'])),
        'BACKWARD',
      ),
    ).toEqual([expect.stringMatching(/at 'state': the writer's enum State has symbol\(s\) PAID/)])
    const renamed = parseSchema({
      schema: '{"type": "record", "name": "Other", "fields": [{"name": "a", "type": "int"}]}',
    })
    expect(compatibilityProblems(renamed, versions(V1), 'BACKWARD')).toEqual([
      expect.stringMatching(
        /at the top level: the reader's record Other does not match the writer's record Event/,
      ),
    ])
  })

  it('accepts a changed namespace, as Avro matches names unqualified', () => {
    const namespaced = parseSchema({
      schema:
        '{"type": "record", "name": "Event", "namespace": "com.example", "fields": [{"name": "a", "type": "int"}]}',
    })
    expect(compatibilityProblems(namespaced, versions(record(['a', 'int'])), 'FULL')).toEqual([])
  })
})
