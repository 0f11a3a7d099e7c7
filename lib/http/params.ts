import { BadRequestError } from '../errors.ts'

const NON_NEGATIVE_INTEGER = /^\d{1,15}$/

/** A path or query number that must be a non-negative integer. */
export function nonNegativeInteger(text: string | undefined, what: string): number {
  if (text === undefined || !NON_NEGATIVE_INTEGER.test(text)) {
    throw new BadRequestError(`${what} must be a non-negative integer; got '${text ?? ''}'.`)
  }
  return Number(text)
}

export function optionalNonNegativeInteger(
  text: string | undefined,
  what: string,
): number | undefined {
  return text === undefined ? undefined : nonNegativeInteger(text, what)
}
