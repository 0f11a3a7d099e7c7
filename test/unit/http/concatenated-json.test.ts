import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../../lib/errors.ts'
import { concatenatedJson } from '../../../lib/http/concatenated-json.ts'

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<unknown[][]> {
  const groups: unknown[][] = []
  for await (const values of concatenatedJson(stream)) groups.push(values)
  return groups
}

describe('concatenatedJson', () => {
  it('yields values as soon as they are complete, across chunk boundaries', async () => {
    expect(await collect(body('{"a":1}{"b"', ':2} \n {"c":[3]}'))).toEqual([
      [{ a: 1 }],
      [{ b: 2 }, { c: [3] }],
    ])
  })

  it('yields the good values before failing on malformed input', async () => {
    const seen: unknown[] = []
    const reading = (async () => {
      for await (const values of concatenatedJson(body('{"a":1}', '{bad'))) seen.push(...values)
    })()
    await expect(reading).rejects.toThrow(BadRequestError)
    expect(seen).toEqual([{ a: 1 }])
  })

  it('fails on a truncated last value', async () => {
    await expect(collect(body('{"a":1}{"b":'))).rejects.toThrow(/Malformed JSON/)
  })

  it('yields nothing for an empty body', async () => {
    expect(await collect(body())).toEqual([])
  })
})
