import { MemorySubjectStore } from '../../../lib/storage/memory/subjects.ts'
import { describeSubjectStoreContract } from '../../contract/subjects.contract.ts'

describeSubjectStoreContract('memory', async () => new MemorySubjectStore())
