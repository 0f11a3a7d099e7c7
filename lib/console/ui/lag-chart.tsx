/** Lag over time, as sampled by the page: one line per partition, drawn as SVG (no chart library). */

export interface LagSample {
  /** Milliseconds since the epoch. */
  readonly at: number
  /** Lag per `topic/partition`. */
  readonly lags: Readonly<Record<string, number>>
}

const WIDTH = 600
const HEIGHT = 180
const PAD = { left: 44, right: 8, top: 8, bottom: 20 }
const COLORS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#4b5563',
  '#ca8a04',
]
/** More partitions than this are summed into the total line only: the chart must stay readable. */
const MAX_LINES = COLORS.length

export function LagChart({ samples }: { readonly samples: readonly LagSample[] }) {
  const first = samples[0]
  const last = samples.at(-1)
  if (!first || !last || samples.length < 2) {
    return (
      <p class="muted">
        Sampling lag every 5 s while this page is open; the chart starts after two samples.
      </p>
    )
  }
  const series = [...new Set(samples.flatMap((s) => Object.keys(s.lags)))].sort()
  const lines =
    series.length <= MAX_LINES
      ? series.map((name) => ({ name, value: (s: LagSample) => s.lags[name] ?? 0 }))
      : [
          {
            name: 'total',
            value: (s: LagSample) => Object.values(s.lags).reduce((a, b) => a + b, 0),
          },
        ]
  const top = Math.max(1, ...samples.flatMap((s) => lines.map((line) => line.value(s))))
  const span = Math.max(1, last.at - first.at)
  const x = (at: number) => PAD.left + ((at - first.at) / span) * (WIDTH - PAD.left - PAD.right)
  const y = (lag: number) => PAD.top + (1 - lag / top) * (HEIGHT - PAD.top - PAD.bottom)
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Lag over time">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} class="axis" />
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={y(0)} class="axis" />
        <text x={PAD.left - 4} y={PAD.top + 10} text-anchor="end">
          {top}
        </text>
        <text x={PAD.left - 4} y={y(0)} text-anchor="end">
          0
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} text-anchor="end">
          last {Math.round(span / 1000)} s
        </text>
        {lines.map((line, i) => (
          <polyline
            key={line.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            stroke-width="2"
            points={samples
              .map((s) => `${x(s.at).toFixed(1)},${y(line.value(s)).toFixed(1)}`)
              .join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {lines.map((line, i) => (
          <span key={line.name} class="legend">
            <span class="swatch" style={{ background: COLORS[i % COLORS.length] }} />
            {line.name}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
