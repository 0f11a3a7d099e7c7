import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { conditionalWrite, conditionHeld } from '../../../lib/storage/aws/conditional-write.ts'

const refused = () =>
  Promise.reject(new ConditionalCheckFailedException({ message: 'refused', $metadata: {} }))

describe('conditional writes', () => {
  it('tells a held condition from a refused one', async () => {
    expect(await conditionHeld(() => Promise.resolve())).toBe(true)
    expect(await conditionHeld(refused)).toBe(false)
  })

  it('explains a refused condition with the caller error, and lets other failures through', async () => {
    await expect(conditionalWrite(refused, () => new RangeError('explained'))).rejects.toThrow(
      'explained',
    )
    const outage = new Error('network down')
    await expect(conditionHeld(() => Promise.reject(outage))).rejects.toBe(outage)
  })
})
