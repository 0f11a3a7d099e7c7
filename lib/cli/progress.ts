import { Presets, SingleBar } from 'cli-progress'
import type { Terminal } from './io.ts'

export interface Progress {
  update(value: number): void
  stop(): void
}

/** A progress bar on a terminal; nothing at all when the stream is piped or redirected. */
export function progressBar(stream: Terminal, total: number, unit: string): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} }
  const bar = new SingleBar(
    {
      stream,
      format: `{bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  )
  bar.start(total, 0)
  return {
    update: (value) => bar.update(value),
    stop: () => bar.stop(),
  }
}
