import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

describe('npx cdk synth', () => {
  it('synthesizes the app offline, without credentials, with cdk-nag passing', async () => {
    const { stderr } = await promisify(execFile)(
      'npx',
      ['--no-install', 'cdk', 'synth', '--quiet', '--output', outdir],
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
    expect(stderr).not.toMatch(/AwsSolutions-/)
    const template = JSON.parse(readFileSync(join(outdir, 'Sluice.template.json'), 'utf8'))
    const types = Object.values(template.Resources).map((r) => (r as { Type: string }).Type)
    expect(types).toEqual(
      expect.arrayContaining(['AWS::Lambda::Url', 'AWS::CloudWatch::Dashboard']),
    )
  }, 120_000)
})
