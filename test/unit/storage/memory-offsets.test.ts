import { memoryGroupStores } from '../../../lib/storage/memory/group-stores.ts'
import { describeOffsetStoreContract } from '../../contract/offsets.contract.ts'

describeOffsetStoreContract('memory', async () => memoryGroupStores())
