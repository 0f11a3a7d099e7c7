import { memoryLogStores } from '../../../lib/storage/memory/log-stores.ts'
import { describeProducerStoreContract } from '../../contract/producers.contract.ts'

describeProducerStoreContract('memory', async () => memoryLogStores())
