import { App } from 'aws-cdk-lib'
import { SluiceStack } from '../lib/infra/sluice-stack.ts'

const app = new App()
new SluiceStack(app, 'Sluice')
app.synth()
