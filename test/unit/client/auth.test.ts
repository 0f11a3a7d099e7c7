import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { authenticator } from '../../../lib/client/auth.ts'
import { ClientStateError } from '../../../lib/client/errors.ts'

/** AWS's SigV4 test suite, `get-vanilla`: its credentials, time and expected signature. */
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
}

describe('SigV4 signing', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2015-08-30T12:36:00Z'))
  })

  afterEach(() => {
    vi.useRealTimers()
  })

  it("signs as AWS's test suite says (get-vanilla)", async () => {
    const url = new URL('https://example.amazonaws.com/')
    const sign = authenticator(
      { type: 'sigv4', region: 'us-east-1', service: 'service', credentials: CREDENTIALS },
      url,
    )
    expect(await sign({ method: 'GET', url, headers: {} })).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    })
  })

  it("signs for Lambda in a function URL's region, with the session token and body", async () => {
    const url = new URL('https://abc123.lambda-url.eu-west-1.on.aws/v3/clusters?x=1')
    const sign = authenticator(
      { type: 'sigv4', credentials: { ...CREDENTIALS, sessionToken: 'token' } },
      url,
    )
    const headers = await sign({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(headers['content-type']).toBe('application/json')
    expect(headers['x-amz-security-token']).toBe('token')
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    )
    expect(headers).not.toHaveProperty('host')
  })

  it('needs a region when the URL names none', () => {
    vi.stubEnv('AWS_REGION', '')
    expect(() =>
      authenticator({ type: 'sigv4', credentials: CREDENTIALS }, new URL('http://localhost:8082')),
    ).toThrow(ClientStateError)
    vi.unstubAllEnvs()
  })
})

describe('API keys', () => {
  it('go as a bearer token, beside the request headers', async () => {
    const url = new URL('http://localhost:8082/topics')
    const sign = authenticator({ type: 'api-key', key: 'sluice_abc_def' }, url)
    expect(await sign({ method: 'GET', url, headers: { accept: 'application/json' } })).toEqual({
      accept: 'application/json',
      authorization: 'Bearer sluice_abc_def',
    })
  })
})
