import { describe, expect, it } from 'vitest'
import { type AnomalyKind, anomalyLines, checkHistory } from '../../../lib/check/checker.ts'
import type {
  History,
  ObservedRecord,
  PollOperation,
  ProduceOperation,
} from '../../../lib/check/history.ts'

function ok(process: string, seq: number, partition: number, offset: number): ProduceOperation {
  return { process, seq, value: `${process}-${seq}`, partition, outcome: 'ok', offset }
}

function notOk(
  outcome: 'fail' | 'unknown',
  process: string,
  seq: number,
  partition: number,
): ProduceOperation {
  return { process, seq, value: `${process}-${seq}`, partition, outcome, error: 'HTTP 500' }
}

function records(...values: string[]): ObservedRecord[] {
  return values.map((value, offset) => ({ offset, value }))
}

function poll(
  partition: number,
  from: number,
  seen: readonly ObservedRecord[],
  nextOffset: number,
): PollOperation {
  return { process: 'c', partition, from, records: seen, nextOffset }
}

function history(
  produces: readonly ProduceOperation[],
  final: readonly ObservedRecord[],
  polls: readonly PollOperation[] = [],
): History {
  return { produces, polls, failedPolls: 0, final: new Map([[0, final]]) }
}

/** The kinds found, one entry per anomaly. */
function kinds(h: History): AnomalyKind[] {
  return checkHistory(h).anomalies.map((anomaly) => anomaly.kind)
}

/** A clean run: two producers, an unknown write that landed and one that did not, reads that cover everything. */
const clean = history(
  [
    ok('a', 0, 0, 0),
    ok('b', 0, 0, 1),
    notOk('unknown', 'a', 1, 0),
    ok('a', 2, 0, 3),
    notOk('unknown', 'b', 1, 0),
  ],
  records('a-0', 'b-0', 'a-1', 'a-2'),
  [
    poll(0, 0, records('a-0', 'b-0'), 2),
    poll(0, 2, records('a-0', 'b-0', 'a-1', 'a-2').slice(2), 4),
  ],
)

describe('checkHistory', () => {
  it('finds nothing wrong in a clean history, and counts what happened', () => {
    const report = checkHistory(clean)
    expect(report.anomalies).toEqual([])
    expect(report.produces).toEqual({ ok: 3, fail: 0, unknown: 2 })
    expect(report.unknownStored).toBe(1)
    expect(report).toMatchObject({ polls: 2, recordsRead: 4, finalRecords: 4 })
  })

  it('finds an acknowledged write that is gone', () => {
    expect(kinds(history([ok('a', 0, 0, 0), ok('a', 1, 0, 1)], records('a-0')))).toEqual([
      'lost-acked-write',
    ])
  })

  it('finds a value stored twice, even one whose send had an unknown outcome', () => {
    expect(kinds(history([ok('a', 0, 0, 0)], records('a-0', 'a-0')))).toEqual(['duplicate'])
    expect(kinds(history([notOk('unknown', 'a', 0, 0)], records('a-0', 'a-0')))).toEqual([
      'duplicate',
    ])
  })

  it("finds a process's records stored out of send order", () => {
    const h = history([ok('a', 0, 0, 1), ok('a', 1, 0, 0)], records('a-1', 'a-0'))
    expect(kinds(h)).toEqual(['reorder'])
    // Interleaving with another process is no reorder.
    expect(
      kinds(
        history(
          [ok('a', 0, 0, 0), ok('b', 0, 0, 1), ok('a', 1, 0, 2)],
          records('a-0', 'b-0', 'a-1'),
        ),
      ),
    ).toEqual([])
  })

  it('finds an acknowledgement or a read that disagrees with the log about an offset', () => {
    expect(kinds(history([ok('a', 0, 0, 5)], records('a-0')))).toEqual(['inconsistent-offset'])
    const misread = history([ok('a', 0, 0, 0), ok('a', 1, 0, 1)], records('a-0', 'a-1'), [
      poll(0, 0, [{ offset: 0, value: 'a-1' }], 1),
    ])
    expect(kinds(misread)).toEqual(['inconsistent-offset'])
  })

  it('finds a poll that covered offsets and skipped a record', () => {
    const h = history(
      [ok('a', 0, 0, 0), ok('a', 1, 0, 1), ok('a', 2, 0, 2)],
      records('a-0', 'a-1', 'a-2'),
      [
        poll(
          0,
          0,
          [
            { offset: 0, value: 'a-0' },
            { offset: 2, value: 'a-2' },
          ],
          3,
        ),
      ],
    )
    expect(kinds(h)).toEqual(['poll-skip'])
    // A poll that stopped early claims nothing about what follows.
    const short = history([ok('a', 0, 0, 0), ok('a', 1, 0, 1)], records('a-0', 'a-1'), [
      poll(0, 0, records('a-0'), 1),
    ])
    expect(kinds(short)).toEqual([])
  })

  it('finds a refused write, or one never sent, in the log or in a read', () => {
    expect(kinds(history([notOk('fail', 'a', 0, 0)], records('a-0')))).toEqual([
      'read-of-failed-write',
    ])
    expect(kinds(history([], records('ghost')))).toEqual(['read-of-failed-write'])
    const readOnly = history([notOk('fail', 'a', 0, 0)], [], [poll(0, 0, records('a-0'), 1)])
    expect(kinds(readOnly)).toEqual(['read-of-failed-write'])
  })

  it('lists anomalies by kind, a few of each', () => {
    const lost = history(
      Array.from({ length: 8 }, (_, i) => ok('a', i, 0, i)),
      [],
    )
    const lines = anomalyLines(checkHistory(lost), 3)
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(
      "lost-acked-write: partition 0: 'a-0' was acknowledged at offset 0 and is gone",
    )
    expect(lines[3]).toBe('lost-acked-write: ... and 5 more')
  })
})
