import { describeIndexRewriterContract } from '../../contract/index-rewrite.contract.ts'
import { openMemoryMaintenanceStores } from './memory-maintenance-stores.ts'

describeIndexRewriterContract('memory', openMemoryMaintenanceStores)
