import {
  type Assignment,
  type AssignmentSpec,
  allPartitions,
  emptyAssignment,
  membersInOrder,
} from './assignor.ts'

/**
 * Kafka's RoundRobinAssignor: every partition of every subscribed topic, in
 * order, is dealt to the members in turn, skipping a member that is not
 * subscribed to the partition's topic.
 */
export function roundRobinAssignor(spec: AssignmentSpec): Assignment {
  const assignment = emptyAssignment(spec)
  const members = membersInOrder(spec)
  let next = 0
  for (const tp of allPartitions(spec)) {
    for (let tried = 0; tried < members.length; tried++) {
      const member = members[(next + tried) % members.length]
      if (member?.topics.includes(tp.topic)) {
        assignment.get(member.memberId)?.push(tp)
        next = (next + tried + 1) % members.length
        break
      }
    }
  }
  return assignment
}
