/**
 * Fault injection for integration tests. Every helper adds a middleware to a
 * REAL AWS SDK v3 client's `middlewareStack` and delegates to the real engine;
 * nothing here replaces a client or answers a request itself unless it is told
 * to fail it. A `DynamoDBDocumentClient` built with `.from(client)` shares the
 * client's stack, so a broker built over the client sees the fault too.
 *
 * Commands are named as the SDK names them: `TransactWriteItemsCommand`,
 * `BatchGetItemCommand`, `PutObjectCommand`, ... (the document client's
 * `TransactWriteCommand` runs as `TransactWriteItemsCommand`).
 *
 * Each helper returns a handle: `remove()` takes the middleware off again
 * (handles are also `Disposable`, for `using`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'

export type SdkClient = DynamoDBClient | S3Client

type Stack = DynamoDBClient['middlewareStack']

export interface Fault extends Disposable {
  /** How many commands the fault has acted on so far. */
  readonly hits: number
  remove(): void
}

export interface FaultOptions {
  /** Act on at most this many matching commands, then pass the rest through. Default: all. */
  readonly times?: number
}

let installed = 0

/** The stack of any SDK v3 client; their input and output types differ, the mechanics do not. */
function stackOf(client: SdkClient): Stack {
  return client.middlewareStack as unknown as Stack
}

function handle(client: SdkClient, name: string, hits: () => number): Fault {
  const remove = () => {
    stackOf(client).remove(name)
  }
  return {
    get hits() {
      return hits()
    },
    remove,
    [Symbol.dispose]: remove,
  }
}

/**
 * Makes matching commands fail with `makeError()` before they are sent, as if
 * the process died or the network dropped at that point. The middleware sits
 * at the `initialize` step, outside the SDK's retry loop, so the caller gets
 * the error once and nothing reaches the engine.
 */
export function failCommand(
  client: SdkClient,
  commandName: string,
  makeError: () => Error,
  { times = Number.POSITIVE_INFINITY }: FaultOptions = {},
): Fault {
  const name = `sluice-fault-fail-${++installed}`
  let hits = 0
  stackOf(client).add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && hits < times) {
        hits++
        throw makeError()
      }
      return next(args)
    },
    { step: 'initialize', priority: 'high', name },
  )
  return handle(client, name, () => hits)
}

/**
 * Rewrites the JSON body of matching requests after the SDK serialized them
 * (DynamoDB speaks JSON, so the transform sees the wire format, e.g.
 * `{ TransactItems: [{ Update: { ..., ExpressionAttributeValues: { ':base': { N: '0' } } } }] }`).
 * The altered request still goes to the real engine, which answers it
 * as it would any other: this is how a test makes the service itself refuse a
 * write. Runs at the `build` step, so SDK retries resend the rewritten request.
 */
export function rewriteRequestBody(
  client: SdkClient,
  commandName: string,
  transform: (body: Record<string, unknown>) => Record<string, unknown>,
  { times = Number.POSITIVE_INFINITY }: FaultOptions = {},
): Fault {
  const name = `sluice-fault-rewrite-${++installed}`
  let hits = 0
  stackOf(client).add(
    (next, context) => async (args) => {
      if (context.commandName !== commandName || hits >= times) return next(args)
      const request = args.request as { body?: unknown; headers: Record<string, string> }
      const { body } = request
      // The SDK serializes JSON protocols to text or to UTF-8 bytes, depending on its version.
      const text =
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new TextDecoder().decode(body)
            : undefined
      if (text === undefined) throw new Error(`${commandName} has no JSON body to rewrite`)
      hits++
      const rewritten = JSON.stringify(transform(JSON.parse(text)))
      request.body = typeof body === 'string' ? rewritten : new TextEncoder().encode(rewritten)
      for (const header of Object.keys(request.headers)) {
        // Set again from the new body by the SDK's content-length middleware, later in this step.
        if (header.toLowerCase() === 'content-length') delete request.headers[header]
      }
      return next(args)
    },
    { step: 'build', priority: 'high', name },
  )
  return handle(client, name, () => hits)
}

export interface CommandCall {
  readonly commandName: string
  /** The error's name, e.g. `TransactionCanceledException`; undefined when the call succeeded. */
  readonly error?: string
  /** `CancellationReasons[].Code` of a cancelled transaction, `None` for items that were fine. */
  readonly cancellationReasons?: readonly string[]
}

export interface CommandCounter extends Fault {
  /** Every call that finished, in the order they finished. */
  readonly calls: readonly CommandCall[]
  /** How many calls of a command finished (all of them, or only those failing with `error`). */
  count(commandName: string, error?: string): number
}

/**
 * Records every command a client completes, with the error it ended in (after
 * the SDK's own retries) and, for cancelled transactions, the per-item reasons.
 * Passive: it changes nothing.
 */
export function countCommands(client: SdkClient): CommandCounter {
  const name = `sluice-fault-count-${++installed}`
  const calls: CommandCall[] = []
  stackOf(client).add(
    (next, context) => async (args) => {
      const commandName = context.commandName ?? 'unknown'
      try {
        const result = await next(args)
        calls.push({ commandName })
        return result
      } catch (error) {
        const failure = error as { name?: string; CancellationReasons?: { Code?: string }[] }
        calls.push({
          commandName,
          error: failure.name ?? 'Error',
          ...(failure.CancellationReasons && {
            cancellationReasons: failure.CancellationReasons.map((r) => r.Code ?? 'None'),
          }),
        })
        throw error
      }
    },
    { step: 'initialize', priority: 'high', name },
  )
  const fault = handle(client, name, () => calls.length)
  return {
    ...fault,
    get hits() {
      return calls.length
    },
    calls,
    count: (commandName, error) =>
      calls.filter(
        (call) => call.commandName === commandName && (error === undefined || call.error === error),
      ).length,
  }
}

export interface Gate extends Fault {
  /** Resolves once `count` matching commands are waiting at the gate (or went through it). */
  arrived(count: number): Promise<void>
  /** Lets every held command, and any later one, go on. */
  open(): void
}

/**
 * Holds matching commands before they are sent until `open()` is called:
 * a test can line several clients' commands up and release them together, to
 * force a race it would otherwise only hit by chance.
 */
export function gateCommand(
  client: SdkClient,
  commandName: string,
  { times = Number.POSITIVE_INFINITY }: FaultOptions = {},
): Gate {
  const name = `sluice-fault-gate-${++installed}`
  let hits = 0
  let release: () => void = () => {}
  const opened = new Promise<void>((resolve) => {
    release = resolve
  })
  const waiters: { count: number; resolve: () => void }[] = []
  stackOf(client).add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && hits < times) {
        hits++
        for (const waiter of waiters.filter((w) => w.count <= hits)) waiter.resolve()
        await opened
      }
      return next(args)
    },
    { step: 'initialize', priority: 'high', name },
  )
  const fault = handle(client, name, () => hits)
  return {
    ...fault,
    get hits() {
      return hits
    },
    arrived: (count) =>
      count <= hits
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push({ count, resolve })
          }),
    open: release,
  }
}

/**
 * Lets matching requests reach the engine and take effect, then throws away
 * the answer as a dropped connection would (`ECONNRESET`). The middleware sits
 * inside the SDK's retry loop, so the SDK sends the very same request again:
 * the case where a write succeeded but its caller cannot know it did.
 */
export function loseResponse(
  client: SdkClient,
  commandName: string,
  { times = Number.POSITIVE_INFINITY }: FaultOptions = {},
): Fault {
  const name = `sluice-fault-lose-${++installed}`
  let hits = 0
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      const result = await next(args)
      if (context.commandName === commandName && hits < times) {
        hits++
        throw Object.assign(new Error('simulated: connection reset before the response arrived'), {
          code: 'ECONNRESET',
        })
      }
      return result
    }
  // A relative middleware's type is the union of every step's, which gives no contextual typing.
  stackOf(client).addRelativeTo(middleware as Parameters<Stack['addRelativeTo']>[0], {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name,
  })
  return handle(client, name, () => hits)
}
