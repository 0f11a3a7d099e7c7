import { memoryGroupStores } from '../../../lib/storage/memory/group-stores.ts'
import { describeGroupStoreContract } from '../../contract/groups.contract.ts'

describeGroupStoreContract('memory', async () => memoryGroupStores().groups)
