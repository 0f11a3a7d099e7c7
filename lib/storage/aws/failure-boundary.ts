import type { StorageEngine } from '../ports/storage-engine.ts'
import { asStorageFailure } from './service-failures.ts'

/**
 * The engine as the ports promise it: whatever escapes a store method, as a
 * rejection or while iterating what it returned, is told in the ports' terms
 * (asStorageFailure). Only what escapes: inside a store, the SDK errors it
 * expects (a refused condition, a cancelled transaction, a missing object)
 * are still caught as they are, and its own errors (the domain errors of its
 * port, CommitOutcomeUnknownError) pass through untouched.
 */
export function behindFailureBoundary(engine: StorageEngine): StorageEngine {
  const stores = Object.entries(engine).map(([name, store]) => [name, translating(store)])
  // Each store keeps its type: translating returns what it was given.
  return Object.fromEntries(stores) as StorageEngine
}

/**
 * The store with each method's failures translated. A proxy, so a method is
 * still called on the store itself (its private state and its calls to its
 * own methods stay as they are) and every method, inherited ones too, is covered.
 */
function translating<Store extends object>(store: Store): Store {
  return new Proxy(store, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key)
      if (typeof member !== 'function') return member
      return (...args: unknown[]) => translated(member.apply(target, args))
    },
  })
}

/** Store methods answer with a promise or an async iterable (scans, listings). */
function translated(result: unknown): unknown {
  if (result instanceof Promise) return result.catch(rethrowAsStorageFailure)
  if (isAsyncIterable(result)) return translatedItems(result)
  return result
}

function rethrowAsStorageFailure(error: unknown): never {
  throw asStorageFailure(error)
}

async function* translatedItems<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* items
  } catch (error) {
    rethrowAsStorageFailure(error)
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}
