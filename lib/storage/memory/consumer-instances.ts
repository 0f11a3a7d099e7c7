import { ConsumerInstanceExistsError } from '../../groups/errors.ts'
import {
  InstanceConflictError,
  type InstanceId,
  type InstanceRecord,
  type InstanceStore,
} from '../ports/consumer-instances.ts'

/** Consumer instances in memory. Nothing expires them on its own: idle ones stay until deleted or replaced. */
export class MemoryInstanceStore implements InstanceStore {
  /** By the JSON of [group id, instance id], which no two ids share. */
  private readonly instances = new Map<string, InstanceRecord>()

  async create(instance: InstanceRecord): Promise<void> {
    const current = this.instances.get(keyOf(instance))
    if (current && current.idleDeadline >= instance.createdAt) {
      throw new ConsumerInstanceExistsError(instance.groupId, instance.instanceId)
    }
    this.instances.set(keyOf(instance), structuredClone(instance))
  }

  async get(id: InstanceId): Promise<InstanceRecord | undefined> {
    return structuredClone(this.instances.get(keyOf(id)))
  }

  async save(instance: InstanceRecord): Promise<InstanceRecord> {
    this.expectVersion(instance)
    const next = { ...instance, version: instance.version + 1 }
    this.instances.set(keyOf(next), structuredClone(next))
    return next
  }

  async delete(instance: InstanceRecord): Promise<void> {
    this.expectVersion(instance)
    this.instances.delete(keyOf(instance))
  }

  async idle(now: number): Promise<InstanceId[]> {
    return [...this.instances.values()]
      .filter((instance) => instance.idleDeadline < now)
      .map(({ groupId, instanceId }) => ({ groupId, instanceId }))
  }

  private expectVersion(instance: InstanceRecord): void {
    if (this.instances.get(keyOf(instance))?.version !== instance.version) {
      throw new InstanceConflictError('The consumer instance changed since it was read')
    }
  }
}

function keyOf({ groupId, instanceId }: InstanceId): string {
  return JSON.stringify([groupId, instanceId])
}
