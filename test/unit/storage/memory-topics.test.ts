import { MemoryTopicStore } from '../../../lib/storage/memory/topics.ts'
import { describeTopicStoreContract } from '../../contract/topics.contract.ts'

describeTopicStoreContract('memory', async () => new MemoryTopicStore())
