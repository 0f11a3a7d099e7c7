import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { assemblyDir } from './synth.ts'

const outdir = assemblyDir()

/** The environment of a clean clone on a machine with no AWS configuration at all. */
function withoutAws(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_'),
    ),
  )
}

/** Runs the CLI as a user would, with no AWS configuration and no network. */
async function cdkSynth(outdir: string, context: readonly string[] = []): Promise<string> {
  const { stderr } = await promisify(execFile)(
    'npx',
    ['--no-install', 'cdk', 'synth', '--quiet', '--output', outdir, ...context],
    {
      env: {
        ...withoutAws(),
        CDK_VALIDATION: 'false',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      timeout: 120_000,
    },
  )
  return stderr
}

function resourceTypes(template: { Resources: Record<string, { Type: string }> }): string[] {
  return Object.values(template.Resources).map((resource) => resource.Type)
}

describe('npx cdk synth', () => {
  it('synthesizes the app offline, without credentials, with cdk-nag passing', async () => {
    const stderr = await cdkSynth(outdir)
    expect(stderr).not.toMatch(/AwsSolutions-/)
    const template = JSON.parse(readFileSync(join(outdir, 'Sluice.template.json'), 'utf8'))
    expect(resourceTypes(template)).toEqual(
      expect.arrayContaining(['AWS::Lambda::Url', 'AWS::CloudWatch::Dashboard']),
    )
    expect(resourceTypes(template)).not.toContain('AWS::ECS::Service')
  }, 120_000)

  it('adds the Kafka gateway from context, staging its image without Docker', async () => {
    const kafkaOut = join(outdir, 'kafka')
    const stderr = await cdkSynth(kafkaOut, [
      '-c',
      'sluice:kafkaAdvertisedHost=kafka.example.com',
      '-c',
      'sluice:kafkaCertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/abc',
    ])
    expect(stderr).not.toMatch(/AwsSolutions-/)
    const template = JSON.parse(readFileSync(join(kafkaOut, 'Sluice.template.json'), 'utf8'))
    expect(resourceTypes(template)).toEqual(
      expect.arrayContaining(['AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::Listener']),
    )
    const assets = JSON.parse(readFileSync(join(kafkaOut, 'Sluice.assets.json'), 'utf8'))
    const images = Object.values(assets.dockerImages) as { source: Record<string, string> }[]
    expect(images).toHaveLength(1)
    expect(images[0]?.source).toMatchObject({ platform: 'linux/arm64' })
    const context = join(kafkaOut, images[0]?.source.directory ?? '')
    // The build context holds what the Dockerfile copies, not node_modules or tests.
    expect(readdirSync(context).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'bin',
      'lib',
      'package-lock.json',
      'package.json',
      'tsconfig.json',
    ])
  }, 120_000)
})
