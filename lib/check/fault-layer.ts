import { setTimeout as sleep } from 'node:timers/promises'
import type { AwsClients } from '../storage/aws/clients.ts'

/** Chance per call of each fault; 0 turns it off. */
export interface FaultRates {
  /** The engine did the work, the answer is lost; the SDK resends the request. */
  readonly lostAnswer: number
  /** A commit's answer lost past the SDK's retries: the broker itself cannot tell whether it landed. */
  readonly lostAnswerUnretried: number
  /** Refused as throttled before reaching the engine (DynamoDB ThrottlingException, S3 SlowDown). */
  readonly throttle: number
  /** Refused with a 500 before reaching the engine. */
  readonly serverError: number
  /** An S3 PUT or GET held up to `slowS3Ms` before it is sent. */
  readonly slowS3: number
  readonly slowS3Ms: number
  /** Sluice served an HTTP request, but the client never gets the answer. */
  readonly lostHttpAnswer: number
  /** A gateway answers 503 before the request reaches Sluice. */
  readonly httpUnavailable: number
}

export const FAULT_KINDS = [
  'lostAnswer',
  'lostAnswerUnretried',
  'throttle',
  'serverError',
  'slowS3',
  'lostHttpAnswer',
  'httpUnavailable',
] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

const COMMIT = 'TransactWriteItemsCommand'
const SLOW_S3_COMMANDS = new Set(['PutObjectCommand', 'GetObjectCommand'])

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An AWS service error as the SDK would have parsed it from the engine's answer. */
function serviceError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...(name === 'ThrottlingException' || name === 'SlowDown'
      ? { $retryable: { throttling: true } }
      : {}),
  })
}

function connectionReset(): Error {
  return Object.assign(new Error('injected: connection reset before the answer arrived'), {
    code: 'ECONNRESET',
  })
}

type Stack = AwsClients['dynamodb']['middlewareStack']
type Middleware = Parameters<Stack['addRelativeTo']>[0]

/**
 * Random faults in front of the real engines and the real HTTP path, at the
 * rates given, counted by kind. SDK faults are middleware on the clients the
 * broker uses (the requests still reach DynamoDB Local and s3rver, or are
 * refused before they leave); HTTP faults wrap the client's fetch.
 */
export class FaultLayer {
  private readonly random: () => number
  private readonly injected = new Map<FaultKind, number>(FAULT_KINDS.map((kind) => [kind, 0]))
  private readonly installed: { readonly stack: Stack; readonly name: string }[] = []
  private enabled = true

  /** `onStrike` hears of every fault as it is injected: a process that may be killed reports them as they happen. */
  constructor(
    private readonly rates: FaultRates,
    seed: number,
    private readonly onStrike: (kind: FaultKind) => void = () => {},
  ) {
    this.random = seededRandom(seed)
  }

  /** How many of each fault were injected. */
  counts(): Record<FaultKind, number> {
    return Object.fromEntries(this.injected) as Record<FaultKind, number>
  }

  /** Puts the faults on both clients' middleware stacks. */
  attach(clients: AwsClients): void {
    for (const [client, throttled] of [
      [clients.dynamodb, 'ThrottlingException'],
      [clients.s3, 'SlowDown'],
    ] as const) {
      const stack = client.middlewareStack as unknown as Stack
      const inside: Middleware = ((
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) =>
        async (args: unknown) => {
          if (this.strikes('throttle')) throw serviceError(throttled, 503, 'injected: slow down')
          if (this.strikes('serverError')) {
            throw serviceError('InternalServerError', 500, 'injected: internal server error')
          }
          if (SLOW_S3_COMMANDS.has(context.commandName ?? '') && this.strikes('slowS3')) {
            await sleep(Math.floor(this.random() * this.rates.slowS3Ms))
          }
          const result = await next(args)
          if (this.strikes('lostAnswer')) throw connectionReset()
          return result
        }) as Middleware
      const outside = `sluice-check-outside-${this.installed.length}`
      const insideName = `sluice-check-inside-${this.installed.length}`
      stack.addRelativeTo(inside, {
        relation: 'after',
        toMiddleware: 'retryMiddleware',
        name: insideName,
      })
      stack.add(
        (next, context) => async (args) => {
          const result = await next(args)
          if (context.commandName === COMMIT && this.strikes('lostAnswerUnretried')) {
            throw connectionReset()
          }
          return result
        },
        { step: 'initialize', priority: 'high', name: outside },
      )
      this.installed.push({ stack, name: insideName }, { stack, name: outside })
    }
  }

  /** A fetch that loses answers and meets unavailable gateways at the rates given. */
  wrapFetch(fetch: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
    return async (input, init) => {
      if (this.strikes('httpUnavailable')) {
        return new Response('injected: service unavailable', { status: 503 })
      }
      const response = await fetch(input, init)
      if (this.strikes('lostHttpAnswer')) {
        await response.arrayBuffer()
        throw new TypeError('fetch failed: injected connection reset')
      }
      return response
    }
  }

  /** Counts a fault injected elsewhere, such as in the server process. */
  tally(kind: FaultKind): void {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1)
  }

  /** Stops injecting and takes the middleware off the clients. */
  remove(): void {
    this.enabled = false
    for (const { stack, name } of this.installed.splice(0)) stack.remove(name)
  }

  private strikes(kind: FaultKind): boolean {
    const rate = this.rates[kind]
    if (!this.enabled || rate <= 0 || this.random() >= rate) return false
    this.tally(kind)
    this.onStrike(kind)
    return true
  }
}
