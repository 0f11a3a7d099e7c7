import S3rver from 's3rver'

export interface S3Local {
  readonly endpoint: string
  stop(): Promise<void>
}

/**
 * Runs s3rver inside this process on a free port of 127.0.0.1, keeping objects
 * as files under `directory`. Clients must use path-style addressing.
 */
export async function startS3Local(options: { directory: string }): Promise<S3Local> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
  })
  const { port } = await server.run()
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() }
}
