import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import { describeOffsetStoreContract } from '../../contract/offsets.contract.ts'

describeOffsetStoreContract('memory', async () => memoryStorage())
