/** Splits a TCP byte stream into Kafka's size-prefixed frames. */

export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError'
  constructor(
    readonly size: number,
    readonly maxFrameBytes: number,
  ) {
    super(`a frame of ${size} bytes exceeds the limit of ${maxFrameBytes}`)
  }
}

const SIZE_BYTES = 4

export class FrameSplitter {
  #chunks: Buffer[] = []
  #buffered = 0

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by `chunk`, without their size prefix. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    const frames: Buffer[] = []
    for (;;) {
      if (this.#buffered < SIZE_BYTES) return frames
      const head = this.#joined()
      const size = head.readInt32BE(0)
      // A negative size is a corrupt stream; a huge one would hold memory hostage.
      if (size < 0 || size > this.maxFrameBytes)
        throw new FrameTooLargeError(size, this.maxFrameBytes)
      if (this.#buffered < SIZE_BYTES + size) return frames
      frames.push(head.subarray(SIZE_BYTES, SIZE_BYTES + size))
      const rest = head.subarray(SIZE_BYTES + size)
      this.#chunks = rest.length > 0 ? [rest] : []
      this.#buffered = rest.length
    }
  }

  /** Everything buffered as one buffer; chunks are joined only once a frame may be complete. */
  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)]
    return this.#chunks[0] as Buffer
  }
}
