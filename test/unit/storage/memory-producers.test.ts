import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import { describeProducerStoreContract } from '../../contract/producers.contract.ts'

describeProducerStoreContract('memory', async () => memoryStorage())
