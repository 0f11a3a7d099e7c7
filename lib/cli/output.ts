import { Option } from 'commander'
import { type CliIo, writeLine } from './io.ts'
import { type Cell, type Column, formatTable } from './table.ts'

export type OutputMode = 'table' | 'json'

/** `-o, --output`: tables for people on a terminal, JSON for scripts when piped. */
export function outputOption(): Option {
  return new Option(
    '-o, --output <mode>',
    'table or json (default: table on a terminal, else json)',
  ).choices(['table', 'json'])
}

export function outputMode(io: CliIo, chosen: OutputMode | undefined): OutputMode {
  return chosen ?? (io.stdout.isTTY ? 'table' : 'json')
}

/** A text column: numbers line up on the right, text on the left. */
export function text(title: string): Column {
  return { title, align: 'left' }
}

export interface Result {
  /** What a script gets. */
  readonly json: unknown
  readonly table: {
    readonly columns: readonly Column[]
    readonly rows: readonly (readonly Cell[])[]
  }
  /** Lines above the table (table mode only). */
  readonly title?: readonly string[]
}

/** Prints a command's result on stdout: a table with a header and a rule, or JSON. */
export async function printResult(io: CliIo, mode: OutputMode, result: Result): Promise<void> {
  if (mode === 'json') {
    await writeLine(io.stdout, JSON.stringify(result.json, null, 2))
    return
  }
  for (const line of result.title ?? []) await writeLine(io.stdout, line)
  if (result.table.rows.length > 0) {
    await writeLine(io.stdout, formatTable(result.table.columns, result.table.rows))
  }
}
