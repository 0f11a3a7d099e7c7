import { describeLogInventoryContract } from '../../contract/log-inventory.contract.ts'
import { openMemoryMaintenanceStores } from './memory-maintenance-stores.ts'

describeLogInventoryContract('memory', openMemoryMaintenanceStores)
