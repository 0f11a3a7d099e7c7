import { MemorySchemaStore } from '../../../lib/storage/memory/schemas.ts'
import { describeSchemaStoreContract } from '../../contract/schemas.contract.ts'

describeSchemaStoreContract('memory', async () => new MemorySchemaStore())
