import {
  type Assignment,
  type AssignmentSpec,
  emptyAssignment,
  membersInOrder,
} from './assignor.ts'

/**
 * Kafka's RangeAssignor: topic by topic, the subscribed members (in id order)
 * get contiguous slices of the partitions; the first ones get one extra when
 * the count does not divide evenly.
 */
export function rangeAssignor(spec: AssignmentSpec): Assignment {
  const assignment = emptyAssignment(spec)
  const members = membersInOrder(spec)
  for (const [topic, count] of spec.partitionCounts) {
    const subscribers = members.filter((member) => member.topics.includes(topic))
    if (subscribers.length === 0) continue
    const share = Math.floor(count / subscribers.length)
    const extra = count % subscribers.length
    subscribers.forEach((member, i) => {
      const start = i * share + Math.min(i, extra)
      const length = share + (i < extra ? 1 : 0)
      const mine = assignment.get(member.memberId) ?? []
      for (let partition = start; partition < start + length; partition++) {
        mine.push({ topic, partition })
      }
    })
  }
  return assignment
}
