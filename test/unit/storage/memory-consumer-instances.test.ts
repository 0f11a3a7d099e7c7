import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import { describeInstanceStoreContract } from '../../contract/consumer-instances.contract.ts'

describeInstanceStoreContract('memory', async () => memoryStorage().consumerInstances)
