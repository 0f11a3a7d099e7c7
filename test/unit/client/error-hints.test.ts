import { describe, expect, it } from 'vitest'
import { SluiceRequestError } from '../../../lib/client/errors.ts'

describe('SluiceRequestError hints', () => {
  it('says what to do for codes whose message leaves a user guessing', () => {
    const missing = new SluiceRequestError(404, 40401, "Topic 'orders' not found.")
    expect(missing.hint).toMatch(/sluice topics create/)
    const tooLarge = new SluiceRequestError(
      413,
      413,
      "Record is 371 bytes in its batch, larger than the topic's max.message.bytes (100).",
    )
    expect(tooLarge.hint).toMatch(/max\.message\.bytes=/)
    expect(new SluiceRequestError(500, 50003, 'Storage contention.').hint).toMatch(/safe/)
  })

  it('gives none where a shared code means something else, or nothing would help', () => {
    // 40401 is also the registry's "subject not found": creating a topic would not help.
    expect(new SluiceRequestError(404, 40401, "Subject 'orders-value' not found.").hint).toBe(
      undefined,
    )
    expect(new SluiceRequestError(400, 40002, "Topic 'orders' already exists.").hint).toBe(
      undefined,
    )
  })
})
