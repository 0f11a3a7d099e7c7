import { describe, expect, it } from 'vitest'
import { type MemberOwnership, reconcile } from '../../../lib/groups/reconciliation.ts'

const none = new Set<string>()

describe('reconcile', () => {
  it('gives a new member its target and the target epoch', () => {
    const current: MemberOwnership = { epoch: 0, assigned: [], revoking: [] }
    expect(
      reconcile({ current, target: ['t/1', 't/0'], targetEpoch: 3, heldByOthers: none }),
    ).toEqual({ epoch: 3, assigned: ['t/0', 't/1'], revoking: [] })
  })

  it('withholds partitions another member still holds', () => {
    const current: MemberOwnership = { epoch: 0, assigned: [], revoking: [] }
    const next = reconcile({
      current,
      target: ['t/0', 't/1'],
      targetEpoch: 2,
      heldByOthers: new Set(['t/1']),
    })
    expect(next).toEqual({ epoch: 2, assigned: ['t/0'], revoking: [] })
  })

  it('revokes first, keeping the old epoch, before anything else changes', () => {
    const current: MemberOwnership = { epoch: 2, assigned: ['t/0', 't/1', 't/2'], revoking: [] }
    const next = reconcile({
      current,
      reported: ['t/0', 't/1', 't/2'],
      target: ['t/0', 't/3'],
      targetEpoch: 3,
      heldByOthers: none,
    })
    expect(next).toEqual({ epoch: 2, assigned: ['t/0'], revoking: ['t/1', 't/2'] })
  })

  it('waits while the member still reports a revoked partition', () => {
    const current: MemberOwnership = { epoch: 2, assigned: ['t/0'], revoking: ['t/1', 't/2'] }
    const next = reconcile({
      current,
      reported: ['t/0', 't/2'],
      target: ['t/0', 't/3'],
      targetEpoch: 3,
      heldByOthers: none,
    })
    expect(next).toEqual({ epoch: 2, assigned: ['t/0'], revoking: ['t/2'] })
  })

  it('moves to the target epoch once revocation is confirmed, taking free partitions', () => {
    const current: MemberOwnership = { epoch: 2, assigned: ['t/0'], revoking: ['t/1'] }
    const next = reconcile({
      current,
      reported: ['t/0'],
      target: ['t/0', 't/3'],
      targetEpoch: 3,
      heldByOthers: none,
    })
    expect(next).toEqual({ epoch: 3, assigned: ['t/0', 't/3'], revoking: [] })
  })

  it('keeps revoking partitions when the member does not report what it holds', () => {
    const current: MemberOwnership = { epoch: 2, assigned: [], revoking: ['t/1'] }
    expect(reconcile({ current, target: [], targetEpoch: 3, heldByOthers: none })).toEqual(current)
  })

  it('changes nothing for a member that holds its target', () => {
    const current: MemberOwnership = { epoch: 3, assigned: ['t/0'], revoking: [] }
    expect(
      reconcile({
        current,
        reported: ['t/0'],
        target: ['t/0'],
        targetEpoch: 3,
        heldByOthers: none,
      }),
    ).toEqual(current)
  })
})
