import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export interface Loaded<T> {
  readonly data: T | undefined
  readonly error: unknown
  readonly loading: boolean
  reload(): void
}

/** Loads with `load` whenever `deps` change; a stale answer never overwrites a newer one. */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: true,
  })
  const [generation, setGeneration] = useState(0)
  // Reloads when the caller's deps change, not when its (new every render) load function does.
  useEffect(() => {
    const controller = new AbortController()
    setState((previous) => ({ ...previous, loading: true }))
    load(controller.signal).then(
      (data) => controller.signal.aborted || setState({ data, loading: false }),
      (error: unknown) => controller.signal.aborted || setState({ error, loading: false }),
    )
    return () => controller.abort()
  }, [...deps, generation])
  const reload = useCallback(() => setGeneration((n) => n + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}

/** Runs `tick` every `ms` while the component is shown (and once at once), never overlapping itself. */
export function useInterval(
  tick: () => Promise<void> | void,
  ms: number,
  deps: readonly unknown[],
) {
  const latest = useRef(tick)
  latest.current = tick
  // Restarts only when the caller's deps change; the latest tick is always the one run.
  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const run = async () => {
      try {
        await latest.current()
      } finally {
        if (!stopped) timer = setTimeout(run, ms)
      }
    }
    void run()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [ms, ...deps])
}

/** An action's state: running, its error if it failed; `run` reports success to the caller. */
export function useAction() {
  const [state, setState] = useState<{ running: boolean; error?: unknown }>({ running: false })
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setState({ running: true })
    try {
      const result = await action()
      setState({ running: false })
      return result
    } catch (error) {
      setState({ running: false, error })
      return undefined
    }
  }, [])
  return { running: state.running, error: state.error, run }
}
