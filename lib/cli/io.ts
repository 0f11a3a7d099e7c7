import type { Readable, Writable } from 'node:stream'

/** A stream that may be a terminal. */
export type Terminal = Writable & { readonly isTTY?: boolean; readonly columns?: number }

/** What a command reads and writes: the process's streams, or a test's. */
export interface CliIo {
  readonly stdin: Readable
  /** Data only: what a script pipes on. */
  readonly stdout: Terminal
  /** Everything for people: status, progress, errors. */
  readonly stderr: Terminal
  /** Aborted on Ctrl-C: long commands stop cleanly (flush, commit, leave) when it fires. */
  readonly signal: AbortSignal
}

/** Writes a line of data, waiting when the reader is slower than the writer. */
export async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) {
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        stream.off('drain', onDrain)
        stream.off('error', onError)
      }
      const onDrain = () => {
        cleanup()
        resolve()
      }
      const onError = (error: Error) => {
        cleanup()
        reject(error)
      }
      stream.on('drain', onDrain)
      stream.on('error', onError)
    })
  }
}

/** A status line for people; never on stdout, which carries data. */
export function note(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`)
}
