import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { ESM_REQUIRE_BANNER } from './esm-require-banner.ts'

const ENTRY = fileURLToPath(new URL('../../bin/kafka-gateway.ts', import.meta.url))

/**
 * Bundles bin/kafka-gateway.ts into one ESM file holding every dependency, as
 * the Lambda functions are bundled: the container image ships this file and
 * Node, no node_modules. The Dockerfile and the tests build it the same way.
 */
export async function bundleKafkaGateway(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}
