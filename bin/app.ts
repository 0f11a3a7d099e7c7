import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { sluicePropsFromContext } from '../lib/infra/context.ts'
import { SluiceStack } from '../lib/infra/sluice-stack.ts'

const app = new App()
new SluiceStack(app, app.node.tryGetContext('sluice:stackName') ?? 'Sluice', {
  sluice: sluicePropsFromContext((key) => app.node.tryGetContext(key)),
})
// Every synth is checked: an unacknowledged AwsSolutions finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }))
app.synth()
