import { memoryLogStores } from '../../../lib/storage/memory/log-stores.ts'
import { describeLogContract } from '../../contract/log.contract.ts'

describeLogContract('memory', async () => memoryLogStores())
