import { join } from 'node:path'
import { App, type CfnResource } from 'aws-cdk-lib'
import { SluiceStack } from './sluice-stack.ts'

/**
 * Synthesizes a Sluice stack into `outdir` and returns the path of the API
 * function's bundle: the very file `cdk deploy` uploads. Tests and the
 * cold-start measurement run this file, not the TypeScript sources.
 */
export function synthesizeApiBundle(outdir: string): string {
  // The CLI turns asset metadata on; an app synthesized in process must ask for it.
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } })
  const stack = new SluiceStack(app, 'SluiceBundle')
  const assembly = app.synth()
  const fn = stack.sluice.api.handler.function.node.defaultChild as CfnResource
  const logicalId = stack.resolve(stack.getLogicalId(fn)) as string
  const resource = assembly.getStackByName(stack.stackName).template.Resources[logicalId] as {
    Metadata?: Record<string, string>
  }
  const assetPath = resource.Metadata?.['aws:asset:path']
  if (assetPath === undefined) throw new Error(`No asset path on ${logicalId}`)
  return join(outdir, assetPath, 'index.mjs')
}
