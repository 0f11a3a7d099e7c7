import { MemoryApiKeyStore } from '../../../lib/storage/memory/api-keys.ts'
import { describeApiKeyStoreContract } from '../../contract/api-keys.contract.ts'

describeApiKeyStoreContract('memory', async () => new MemoryApiKeyStore())
