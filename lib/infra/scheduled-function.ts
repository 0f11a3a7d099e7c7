import type { Duration } from 'aws-cdk-lib'
import { Rule, Schedule } from 'aws-cdk-lib/aws-events'
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets'
import { Construct } from 'constructs'
import { type FunctionSettings, SluiceFunction } from './sluice-function.ts'
import type { SluiceStorage } from './storage.ts'
import type { StorageAccess } from './storage-access.ts'

/** A maintenance function as the stack declares it: what runs, how often, with which access. */
export interface ScheduledFunctionSpec {
  /** Names the construct, the `schedules` prop key and the Powertools service (`sluice-<name>`). */
  readonly name: string
  /** Relative to the repository root; the module exports `handler`. */
  readonly entry: string
  readonly description: string
  /** How often it runs unless the `schedules` prop says otherwise. */
  readonly defaultRate: Duration
  readonly timeout: Duration
  readonly memorySize: number
  readonly access: StorageAccess
}

export interface ScheduledFunctionProps extends FunctionSettings {
  readonly spec: ScheduledFunctionSpec
  readonly storage: SluiceStorage
  readonly rate: Duration
}

/**
 * A Sluice function run by an EventBridge schedule. EventBridge and Lambda
 * both deliver at least once, so runs may overlap or repeat: the maintenance
 * code fences its writes with partition leases (DESIGN.md), not the schedule.
 */
export class ScheduledFunction extends Construct {
  readonly handler: SluiceFunction
  readonly rule: Rule

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id)
    const { spec } = props
    this.handler = new SluiceFunction(this, 'Handler', {
      ...props,
      entry: spec.entry,
      description: spec.description,
      serviceName: `sluice-${spec.name}`,
      access: spec.access,
      timeout: spec.timeout,
      memorySize: spec.memorySize,
    })
    this.rule = new Rule(this, 'Schedule', {
      description: `Runs ${spec.entry} every ${props.rate.toHumanString()}`,
      schedule: Schedule.rate(props.rate),
      targets: [new LambdaFunction(this.handler.function)],
    })
  }
}
