import {
  type ListedObject,
  ObjectNotFoundError,
  ObjectRangeError,
  type ObjectStore,
} from '../ports/objects.ts'

interface StoredObject {
  readonly body: Uint8Array
  readonly lastModified: number
}

/** The data bucket in memory. */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>()

  /** `clock` stamps when each object was written, as S3's own clock does. */
  constructor(private readonly clock: () => number = Date.now) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    this.objects.set(key, { body: body.slice(), lastModified: this.clock() })
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    const object = this.objects.get(key)
    if (!object) throw new ObjectNotFoundError(key)
    if (offset + length > object.body.byteLength) throw new ObjectRangeError(key, offset, length)
    return object.body.slice(offset, offset + length)
  }

  async *list(prefix: string): AsyncGenerator<ListedObject> {
    // A snapshot, as S3 lists pages: objects put or deleted meanwhile may or may not show.
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort()
    for (const key of keys) {
      const object = this.objects.get(key)
      if (object) yield { key, size: object.body.byteLength, lastModified: object.lastModified }
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key)
  }
}
