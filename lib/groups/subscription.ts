import { RE2JS, RE2JSException } from 're2js'
import { validateTopicName } from '../broker/topic-names.ts'
import { BadRequestError } from '../errors.ts'

/** What a member subscribes to: named topics, or every topic whose whole name matches a pattern. */
export type Subscription =
  | { readonly kind: 'topics'; readonly topics: readonly string[] }
  | { readonly kind: 'pattern'; readonly pattern: string }

/**
 * Patterns run on the server against every topic name, so they are compiled
 * with RE2 (linear time, no catastrophic backtracking), as Kafka does for
 * KIP-848 regex subscriptions.
 */
function compilePattern(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern)
  } catch (error) {
    if (error instanceof RE2JSException) {
      throw new BadRequestError(`Invalid topic_pattern '${pattern}': ${error.message}.`)
    }
    throw error
  }
}

/** Checks a subscription and returns it in its stored form (topics sorted, without repeats). */
export function checkedSubscription(subscription: Subscription): Subscription {
  if (subscription.kind === 'pattern') {
    compilePattern(subscription.pattern)
    return subscription
  }
  if (subscription.topics.length === 0) {
    throw new BadRequestError('A subscription needs at least one topic.')
  }
  for (const topic of subscription.topics) validateTopicName(topic)
  return { kind: 'topics', topics: [...new Set(subscription.topics)].sort() }
}

/** The subscribed topics among `existing`: named ones that exist, or every full match of the pattern. */
export function matchTopics(subscription: Subscription, existing: Iterable<string>): string[] {
  const names = [...existing]
  if (subscription.kind === 'topics') {
    const wanted = new Set(subscription.topics)
    return names.filter((name) => wanted.has(name)).sort()
  }
  const pattern = compilePattern(subscription.pattern)
  return names.filter((name) => pattern.matches(name)).sort()
}

/** Compares subscriptions in their stored form. */
export function sameSubscription(a: Subscription, b: Subscription): boolean {
  if (a.kind === 'pattern') return b.kind === 'pattern' && a.pattern === b.pattern
  if (b.kind === 'pattern') return false
  return a.topics.length === b.topics.length && a.topics.every((topic, i) => topic === b.topics[i])
}
