import { comparePartitions, partitionKeyOf, type TopicPartition } from '../topic-partitions.ts'
import {
  type Assignment,
  type AssignmentMember,
  type AssignmentSpec,
  allPartitions,
  membersInOrder,
} from './assignor.ts'

/**
 * Kafka's cooperative-sticky idea as a server-side assignor (KIP-848's
 * "uniform"): every partition stays with its current member while that member
 * may still have it, new and orphaned partitions go to the least loaded
 * members, and then single partitions move from the most to the least loaded
 * member until no member that could take a partition has two fewer than its
 * owner. With equal subscriptions that is the balanced assignment reached with
 * the fewest moves. The "cooperative" half, revoking a moved partition before
 * its new owner gets it, is the coordinator's reconciliation, not the assignor's.
 */
export function stickyAssignor(spec: AssignmentSpec): Assignment {
  const members = membersInOrder(spec)
  const subscribed = new Map(members.map((member) => [member.memberId, new Set(member.topics)]))
  const eligible = (member: AssignmentMember, topic: string) =>
    subscribed.get(member.memberId)?.has(topic) ?? false
  const owned: Assignment = new Map(members.map((member) => [member.memberId, []]))
  const load = (member: AssignmentMember) => owned.get(member.memberId)?.length ?? 0
  const leastLoaded = (topic: string) =>
    members
      .filter((member) => eligible(member, topic))
      .reduce<AssignmentMember | undefined>(
        (best, member) => (best === undefined || load(member) < load(best) ? member : best),
        undefined,
      )

  const taken = new Set<string>()
  for (const member of members) {
    for (const tp of spec.current.get(member.memberId) ?? []) {
      const key = partitionKeyOf(tp)
      const exists = tp.partition < (spec.partitionCounts.get(tp.topic) ?? 0)
      if (exists && eligible(member, tp.topic) && !taken.has(key)) {
        owned.get(member.memberId)?.push(tp)
        taken.add(key)
      }
    }
  }
  for (const tp of allPartitions(spec)) {
    if (taken.has(partitionKeyOf(tp))) continue
    const member = leastLoaded(tp.topic)
    if (member) owned.get(member.memberId)?.push(tp)
  }
  for (const list of owned.values()) list.sort(comparePartitions)

  // Each move narrows a gap of two or more, so the sum of squared loads falls and the loop ends.
  for (;;) {
    const move = findMove(members, owned, load, leastLoaded)
    if (!move) break
    const [tp] = owned.get(move.from)?.splice(move.index, 1) ?? []
    if (tp) owned.get(move.to)?.push(tp)
  }
  for (const list of owned.values()) list.sort(comparePartitions)
  return owned
}

function findMove(
  members: readonly AssignmentMember[],
  owned: Assignment,
  load: (member: AssignmentMember) => number,
  leastLoaded: (topic: string) => AssignmentMember | undefined,
): { from: string; to: string; index: number } | undefined {
  const busiestFirst = [...members].sort((a, b) => load(b) - load(a))
  for (const from of busiestFirst) {
    const mine: readonly TopicPartition[] = owned.get(from.memberId) ?? []
    for (let index = mine.length - 1; index >= 0; index--) {
      const tp = mine[index] as TopicPartition
      const to = leastLoaded(tp.topic)
      if (to && load(to) < load(from) - 1) return { from: from.memberId, to: to.memberId, index }
    }
  }
  return undefined
}
