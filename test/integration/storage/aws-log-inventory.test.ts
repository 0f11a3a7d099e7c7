import { describeLogInventoryContract } from '../../contract/log-inventory.contract.ts'
import { openAwsMaintenanceStores } from './aws-maintenance-stores.ts'

describeLogInventoryContract('DynamoDB', openAwsMaintenanceStores)
