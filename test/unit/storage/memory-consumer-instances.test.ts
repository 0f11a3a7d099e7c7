import { memoryGroupStores } from '../../../lib/storage/memory/group-stores.ts'
import { describeInstanceStoreContract } from '../../contract/consumer-instances.contract.ts'

describeInstanceStoreContract('memory', async () => memoryGroupStores().consumerInstances)
