import { performance } from 'node:perf_hooks'
import type { AwsClients } from '../../lib/storage/aws/clients.ts'
import { capacityUnits } from './capacity.ts'

export type AwsService = 'S3' | 'DynamoDB'

/** What one kind of AWS call added up to while counting was on. */
export interface OperationCount {
  readonly service: AwsService
  /** The API name, e.g. `PutObject` or `TransactWriteItems`. */
  readonly operation: string
  /** Calls made through the SDK. */
  readonly calls: number
  /** HTTP requests, SDK retries included: what AWS bills. */
  readonly requests: number
  readonly failures: number
  /** Failed calls by error name, e.g. TransactionCanceledException for a lost commit race. */
  readonly failuresByError: Readonly<Record<string, number>>
  readonly writeUnits: number
  readonly readUnits: number
  /** S3 object bytes sent (PUT) and received (GET). */
  readonly bytesSent: number
  readonly bytesReceived: number
  /** Sum of call durations; calls overlap, so this is not wall time. */
  readonly totalMs: number
}

/** The running tally behind an OperationCount. */
type Tally = { -readonly [K in keyof OperationCount]: OperationCount[K] } & {
  failuresByError: Record<string, number>
}

const SERVICE_ORDER: Record<AwsService, number> = { S3: 0, DynamoDB: 1 }

type Plain = Record<string, unknown>

interface SdkMetadata {
  readonly $metadata?: { readonly attempts?: number }
}

const MIDDLEWARE_NAME = 'sluiceBenchRequestCounter'

/**
 * Counts the AWS calls the real clients make, by wrapping them in an SDK
 * middleware: nothing is mocked or altered, the calls still go to the engines.
 * It sits at the initialize step, outside the SDK's retries (their number comes
 * from the response metadata) and, for DynamoDBDocumentClient calls, outside
 * marshalling, so items are seen in their plain form.
 */
export class RequestCounter {
  private counts = new Map<string, Tally>()

  /** Installs the middleware; document clients built on these clients share it. */
  attach(clients: AwsClients): void {
    const options = { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME } as const
    clients.s3.middlewareStack.add(
      (next, context) => (args) =>
        this.observe('S3', context.commandName, args.input as Plain, () => next(args)),
      options,
    )
    clients.dynamodb.middlewareStack.add(
      (next, context) => (args) =>
        this.observe('DynamoDB', context.commandName, args.input as Plain, () => next(args)),
      options,
    )
  }

  reset(): void {
    this.counts = new Map()
  }

  /** The counts so far, S3 first, then by operation name. */
  snapshot(): OperationCount[] {
    return [...this.counts.values()]
      .map((count) => ({ ...count, failuresByError: { ...count.failuresByError } }))
      .sort(
        (a, b) =>
          SERVICE_ORDER[a.service] - SERVICE_ORDER[b.service] ||
          a.operation.localeCompare(b.operation),
      )
  }

  private async observe<T extends { output: unknown }>(
    service: AwsService,
    commandName: string | undefined,
    input: Plain,
    send: () => Promise<T>,
  ): Promise<T> {
    const operation = (commandName ?? 'Unknown').replace(/Command$/, '')
    const started = performance.now()
    try {
      const result = await send()
      const output = result.output as Plain & SdkMetadata
      this.record(service, operation, input, output, output.$metadata?.attempts, started)
      return result
    } catch (error) {
      const { $metadata } = error as SdkMetadata
      const count = this.record(service, operation, input, undefined, $metadata?.attempts, started)
      const name = error instanceof Error ? error.name : 'Error'
      count.failures++
      count.failuresByError[name] = (count.failuresByError[name] ?? 0) + 1
      throw error
    }
  }

  private record(
    service: AwsService,
    operation: string,
    input: Plain,
    output: Plain | undefined,
    attempts: number | undefined,
    started: number,
  ): Tally {
    const key = `${service}:${operation}`
    const count: Tally = this.counts.get(key) ?? {
      service,
      operation,
      calls: 0,
      requests: 0,
      failures: 0,
      failuresByError: {},
      writeUnits: 0,
      readUnits: 0,
      bytesSent: 0,
      bytesReceived: 0,
      totalMs: 0,
    }
    this.counts.set(key, count)
    count.calls++
    count.requests += attempts ?? 1
    count.totalMs += performance.now() - started
    if (service === 'DynamoDB') {
      const units = capacityUnits(operation, input, output)
      count.writeUnits += units.writeUnits
      count.readUnits += units.readUnits
    } else {
      count.bytesSent += operation === 'PutObject' ? bodyLength(input) : 0
      count.bytesReceived += operation === 'GetObject' ? Number(output?.ContentLength ?? 0) : 0
    }
    return count
  }
}

function bodyLength(input: Plain): number {
  if (typeof input.ContentLength === 'number') return input.ContentLength
  const body = input.Body
  if (body instanceof Uint8Array) return body.byteLength
  if (typeof body === 'string') return Buffer.byteLength(body)
  return 0
}
