/**
 * Calls `onGone` once the process that started this one has exited, which
 * shows as this process being handed to another parent. A server started by
 * a shell that `npm` runs it in must not outlive them: npm passes SIGTERM to
 * that shell, which exits without passing it on. Returns the function that
 * stops watching.
 */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    onGone()
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
