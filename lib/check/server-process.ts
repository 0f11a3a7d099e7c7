import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type SupervisedChild, supervise } from '../local/child-process.ts'
import type { CheckServerConfig, CheckServerMessage } from './check-server.ts'
import type { FaultKind } from './fault-layer.ts'

const ENTRY = fileURLToPath(new URL('../../bin/check-server.ts', import.meta.url))
/** tsx as this package resolves it, whatever directory the check runs in. */
const TSX = import.meta.resolve('tsx')

export class ServerStartError extends Error {
  override name = 'ServerStartError'
}

/**
 * The server under test in a child process, which the check SIGKILLs at
 * random points and starts again on the same engines and port: what a crashed
 * task or a recycled Lambda does to the clients in the middle of their calls.
 */
export class ServerProcess {
  private child: SupervisedChild | undefined
  private port = 0
  private starts = 0

  constructor(
    private readonly config: Omit<CheckServerConfig, 'port'>,
    private readonly onFault: (kind: FaultKind) => void,
  ) {}

  /** Where it serves; the same across restarts. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Starts it and resolves once it listens. */
  async start(): Promise<void> {
    // Each life injects its own run of faults, still replayable from the check's seed.
    const config: CheckServerConfig = {
      ...this.config,
      seed: this.config.seed + 1_000_003 * ++this.starts,
      port: this.port,
    }
    const server = fork(ENTRY, [JSON.stringify(config)], {
      execArgv: ['--import', TSX],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    const child = supervise(server)
    this.child = child
    this.port = await new Promise<number>((listening, failed) => {
      server.on('message', (message: CheckServerMessage) => {
        if (message.kind === 'fault') this.onFault(message.fault)
        else listening(message.port)
      })
      void child.outcome.then((outcome) =>
        failed(
          new ServerStartError(
            `The server under test ended before it listened (${outcome.kind === 'exited' ? (outcome.signal ?? `code ${outcome.code}`) : outcome.error.message}): ${child.stderrTail()}`,
          ),
        ),
      )
    })
  }

  /** SIGKILL: no request in flight gets an answer, nothing is cleaned up. */
  async kill(): Promise<void> {
    const child = this.requireChild()
    process.kill(child.pid as number, 'SIGKILL')
    await child.outcome
  }

  async stop(): Promise<void> {
    await this.child?.stop()
  }

  private requireChild(): SupervisedChild {
    if (!this.child) throw new ServerStartError('The server under test was never started')
    return this.child
  }
}
