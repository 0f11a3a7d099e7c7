import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import { describeGroupStoreContract } from '../../contract/groups.contract.ts'

describeGroupStoreContract('memory', async () => memoryStorage().groups)
