import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, type Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { afterAll } from 'vitest'

/** A throwaway cloud-assembly directory for one test file, removed when it ends. */
export function assemblyDir(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'sluice-cdk-'))
  afterAll(() => rmSync(outdir, { recursive: true, force: true }))
  return outdir
}

/**
 * An app for template assertions. It skips asset bundling (the bundle is
 * built and run by test/integration/lambda); nothing else changes.
 */
export function testApp(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } })
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack)
}

/** A JSON value from a template, loosely typed: tests pick fields out of it. */
// biome-ignore lint/suspicious/noExplicitAny: template fragments are asserted on, not typed
export type Json = any

export interface Statement {
  readonly Effect: string
  readonly Action: string | string[]
  readonly Resource: Json
}

/** Every Allow statement of every inline policy attached to `roleLogicalId`. */
export function allowedStatements(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Json>)
    .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => statement.Effect === 'Allow')
}

export function actionsOf(statement: Statement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action
}

export function resourcesOf(statement: Statement): Json[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]
}

/** The logical id a resource reference (Ref, Fn::GetAtt, or the first inside Fn::Join) points at. */
export function referenced(value: Json): string | undefined {
  if (value?.Ref) return value.Ref
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'][0]
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(referenced).find(Boolean)
  return undefined
}
