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
  /** The size of the frame being received, once its prefix is in. */
  #expected: number | undefined

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by `chunk`, without their size prefix. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    const frames: Buffer[] = []
    for (;;) {
      if (this.#expected === undefined) {
        if (this.#buffered < SIZE_BYTES) return frames
        const size = this.#joined().readInt32BE(0)
        // A negative size is a corrupt stream; a huge one would hold memory hostage.
        if (size < 0 || size > this.maxFrameBytes) {
          throw new FrameTooLargeError(size, this.maxFrameBytes)
        }
        this.#expected = size
      }
      // Chunks are joined only once the whole frame is in, so a large frame is copied once.
      if (this.#buffered < SIZE_BYTES + this.#expected) return frames
      const all = this.#joined()
      frames.push(all.subarray(SIZE_BYTES, SIZE_BYTES + this.#expected))
      const rest = all.subarray(SIZE_BYTES + this.#expected)
      this.#chunks = rest.length > 0 ? [rest] : []
      this.#buffered = rest.length
      this.#expected = undefined
    }
  }

  #joined(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)]
    return this.#chunks[0] as Buffer
  }
}
