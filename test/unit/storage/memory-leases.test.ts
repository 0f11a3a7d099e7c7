import { MemoryLeaseTable } from '../../../lib/storage/memory/lease-table.ts'
import { MemoryPartitionLeases } from '../../../lib/storage/memory/leases.ts'
import { describePartitionLeasesContract } from '../../contract/leases.contract.ts'

describePartitionLeasesContract(
  'memory',
  async () => new MemoryPartitionLeases(new MemoryLeaseTable()),
)
