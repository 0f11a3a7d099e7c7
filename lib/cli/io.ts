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

/** The reader of stdout went away (`sluice consume | head`): nothing more can be shown, which is no failure. */
export class OutputClosedError extends Error {
  override name = 'OutputClosedError'
  constructor() {
    super('The output was closed.')
  }
}

/**
 * Writes a line of data and resolves once the stream has taken it, so a slow
 * reader slows the writer, and a line that could not be written is known.
 */
export function writeLine(stream: Writable, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(`${line}\n`, (error) => {
      if (!error) resolve()
      else if (isClosedOutput(error)) reject(new OutputClosedError())
      else reject(error)
    })
  })
}

function isClosedOutput(error: NodeJS.ErrnoException): boolean {
  return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED'
}

/** A status line for people; never on stdout, which carries data. */
export function note(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`)
}
