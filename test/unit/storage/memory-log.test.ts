import { memoryStorage } from '../../../lib/storage/memory/storage-engine.ts'
import { describeLogContract } from '../../contract/log.contract.ts'

describeLogContract('memory', async () => memoryStorage())
