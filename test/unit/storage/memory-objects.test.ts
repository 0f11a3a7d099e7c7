import { MemoryObjectStore } from '../../../lib/storage/memory/objects.ts'
import { describeObjectStoreContract } from '../../contract/objects.contract.ts'

describeObjectStoreContract('memory', async () => new MemoryObjectStore())
