import { describeIndexRewriterContract } from '../../contract/index-rewrite.contract.ts'
import { openAwsMaintenanceStores } from './aws-maintenance-stores.ts'

describeIndexRewriterContract('DynamoDB', openAwsMaintenanceStores)
