import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
import { Hash } from '@smithy/hash-node'
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4'
import { ClientStateError } from './errors.ts'

/**
 * How the client proves who it is. A deployed stack runs in one auth mode
 * (`sluice:authMode`): `api-key` takes a key from `sluice api-keys create`,
 * `iam` takes requests signed with AWS Signature Version 4.
 */
export type SluiceAuth =
  | { readonly type: 'api-key'; readonly key: string }
  | {
      readonly type: 'sigv4'
      /** The region the API runs in; by default read from a function URL's host name, else AWS_REGION. */
      readonly region?: string
      /** `lambda` for the function URL Sluice deploys behind. */
      readonly service?: string
      /** By default the AWS SDK's credential chain: environment, profile, SSO, instance role... */
      readonly credentials?: SignatureV4Init['credentials']
    }

/** What a request looks like to the signer: headers are added to, never replaced. */
export interface UnsignedRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

/** Returns the headers to send: the request's own plus whatever authenticates it. */
export type RequestAuthenticator = (request: UnsignedRequest) => Promise<Record<string, string>>

/** `https://<id>.lambda-url.<region>.on.aws/` names its region. */
function regionOf(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1]
}

function sigv4Authenticator(
  auth: Extract<SluiceAuth, { type: 'sigv4' }>,
  baseUrl: URL,
): RequestAuthenticator {
  const region = auth.region ?? regionOf(baseUrl) ?? process.env.AWS_REGION
  if (!region) {
    throw new ClientStateError(
      'SigV4 needs a region: pass auth.region or set AWS_REGION (a function URL names its own).',
    )
  }
  const signer = new SignatureV4({
    service: auth.service ?? 'lambda',
    region,
    credentials: auth.credentials ?? fromNodeProviderChain(),
    sha256: Hash.bind(null, 'sha256'),
    // The payload's hash is signed either way; only S3 wants it in a header too.
    applyChecksum: false,
  })
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      // The signature covers the host header; fetch sends the same value.
      headers: { ...headers, host: url.host },
      ...(body !== undefined && { body }),
    })
    // fetch refuses to set `host` itself; it sends the URL's.
    const { host: _, ...rest } = signed.headers
    return rest
  }
}

export function authenticator(auth: SluiceAuth | undefined, baseUrl: URL): RequestAuthenticator {
  if (auth === undefined) return async ({ headers }) => ({ ...headers })
  if (auth.type === 'api-key') {
    return async ({ headers }) => ({ ...headers, authorization: `Bearer ${auth.key}` })
  }
  return sigv4Authenticator(auth, baseUrl)
}
