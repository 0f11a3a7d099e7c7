/**
 * Turns for this process's commits to each partition. Two commits from one
 * process to one partition would race for the same head, and all but one
 * would be cancelled; taking turns, each commits at the end the one before it
 * left. Commits from other processes still race, and the head's condition
 * settles those.
 */
export class PartitionTurns {
  /** Per key, the end of the last turn taken. */
  private readonly tails = new Map<string, Promise<void>>()

  /**
   * Runs `work` once every earlier turn on any of the keys has ended. A turn
   * queues on all its keys at once, in one synchronous step, so turns wait
   * only for turns queued before them and can never wait for each other.
   */
  async take<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    let end = () => {}
    const ended = new Promise<void>((resolve) => {
      end = resolve
    })
    const unique = [...new Set(keys)]
    const before = unique.map((key) => this.tails.get(key))
    for (const key of unique) this.tails.set(key, ended)
    try {
      await Promise.all(before)
      return await work()
    } finally {
      end()
      for (const key of unique) if (this.tails.get(key) === ended) this.tails.delete(key)
    }
  }
}
