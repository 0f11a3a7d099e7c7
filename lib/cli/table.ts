/** Plain-text tables for a terminal: a header, a rule, and right-aligned numbers. */

export type Cell = string | number

export interface Column {
  readonly title: string
  /** Text columns line up on the left, numbers on the right. */
  readonly align?: 'left' | 'right'
}

export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
): string {
  const text = rows.map((row) => row.map((cell) => String(cell)))
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...text.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0
        return columns[i]?.align === 'left' ? cell.padEnd(width) : cell.padStart(width)
      })
      .join('  ')
      .trimEnd()
  return [
    line(columns.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...text.map(line),
  ].join('\n')
}

/** Three significant figures, without exponent notation for the sizes a bench produces. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return '–'
  const magnitude = Math.abs(value)
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US')
  if (magnitude >= 10) return value.toFixed(1)
  if (magnitude >= 1) return value.toFixed(2)
  if (magnitude === 0) return '0'
  return value.toPrecision(2)
}

export function dollars(value: number): string {
  if (!Number.isFinite(value)) return '–'
  return `$${value >= 1 ? value.toFixed(2) : value.toPrecision(2)}`
}
