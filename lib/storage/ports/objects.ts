/** An object as a listing describes it. */
export interface ListedObject {
  readonly key: string
  readonly size: number
  /** When the store finished writing it, in ms since the epoch (the store's clock). */
  readonly lastModified: number
}

/** The object is not in the store (any more). */
export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError'
  constructor(readonly key: string) {
    super(`Object ${key} does not exist`)
  }
}

/** A byte range asked of an object does not lie wholly inside it: whoever recorded the range was wrong. */
export class ObjectRangeError extends Error {
  override readonly name = 'ObjectRangeError'
  constructor(
    readonly key: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(`Object ${key} does not hold the ${length}-byte range at ${offset}`)
  }
}

/**
 * Immutable objects in the data bucket: written once under a fresh key, read
 * by byte range, listed by key prefix and deleted by garbage collection.
 */
export interface ObjectStore {
  put(key: string, body: Uint8Array): Promise<void>
  /**
   * The `length` bytes at `offset`. Throws ObjectNotFoundError when the object
   * is gone, and ObjectRangeError when the range does not lie wholly inside it.
   */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ListedObject>
  /** Deletes the objects; a key that is already gone is not an error. */
  delete(keys: readonly string[]): Promise<void>
}
