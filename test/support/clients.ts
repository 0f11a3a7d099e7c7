import { inject } from 'vitest'
import { type AwsClients, createAwsClients } from '../../lib/storage/aws/clients.ts'

/**
 * AWS clients for the engines this test run uses: the local engines started in
 * global setup, or else whatever AWS_ENDPOINT_URL and the SDK's credential
 * chain point at (LocalStack or AWS).
 */
export function testClients(): AwsClients {
  return createAwsClients(inject('engines') ?? undefined)
}
