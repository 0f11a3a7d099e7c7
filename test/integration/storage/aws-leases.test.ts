import { describePartitionLeasesContract } from '../../contract/leases.contract.ts'
import { openAwsMaintenanceStores } from './aws-maintenance-stores.ts'

describePartitionLeasesContract('DynamoDB', async () => (await openAwsMaintenanceStores()).leases)
