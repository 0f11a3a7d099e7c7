import { readFileSync } from 'node:fs'

/**
 * Request frames (size prefix removed) as kcat 1.7.1 (librdkafka) and kafkajs
 * 2.2.4 sent them to the gateway, recorded by a TCP proxy between them.
 */
export interface CapturedRequest {
  readonly client: 'kcat' | 'kafkajs'
  readonly apiKey: number
  readonly apiVersion: number
  readonly hex: string
}

export const capturedRequests: readonly CapturedRequest[] = JSON.parse(
  readFileSync(new URL('./fixtures/captured-requests.json', import.meta.url), 'utf8'),
)
