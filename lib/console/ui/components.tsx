import type { ComponentChildren, JSX } from 'preact'
import { ApiError, api } from './api.ts'
import { useCluster } from './cluster.ts'
import { type Loaded, useLoad } from './hooks.ts'
import type { List, Topic } from './types.ts'

/** An error as the API worded it, with its Confluent code; never a blank page. */
export function ErrorBox({ error }: { readonly error: unknown }) {
  if (error === undefined || error === null) return null
  const code = error instanceof ApiError ? error.errorCode : undefined
  const message = error instanceof Error ? error.message : String(error)
  return (
    <div class="error" role="alert">
      {message}
      {code !== undefined && <span class="code"> [{code}]</span>}
    </div>
  )
}

export function Loading({ what }: { readonly what: string }) {
  return <p class="muted">Loading {what}…</p>
}

/** What a load gave: its data rendered by `children`, its error, or a note that it is on its way. */
export function WhenLoaded<T>({
  state,
  what,
  children,
}: {
  readonly state: Loaded<T>
  readonly what: string
  readonly children: (data: T) => ComponentChildren
}) {
  if (state.data !== undefined) return <>{children(state.data)}</>
  if (state.error !== undefined) return <ErrorBox error={state.error} />
  return <Loading what={what} />
}

export function Page({
  title,
  actions,
  children,
}: {
  readonly title: ComponentChildren
  readonly actions?: ComponentChildren
  readonly children: ComponentChildren
}) {
  return (
    <section>
      <div class="page-head">
        <h1>{title}</h1>
        {actions && <div class="actions">{actions}</div>}
      </div>
      {children}
    </section>
  )
}

export function Panel({
  title,
  children,
}: {
  readonly title: string
  readonly children: ComponentChildren
}) {
  return (
    <div class="panel">
      <h2>{title}</h2>
      {children}
    </div>
  )
}

export interface Column<T> {
  readonly label: string
  readonly cell: (row: T) => ComponentChildren
  readonly numeric?: boolean
}

/** A table that turns into labelled cards at phone width (see console.css). */
export function Table<T>({
  columns,
  rows,
  rowKey,
  empty,
}: {
  readonly columns: readonly Column<T>[]
  readonly rows: readonly T[]
  readonly rowKey: (row: T) => string
  readonly empty: string
}) {
  if (rows.length === 0) return <p class="muted">{empty}</p>
  return (
    <table>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.label} class={column.numeric ? 'num' : undefined}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td
                key={column.label}
                data-label={column.label}
                class={column.numeric ? 'num' : undefined}
              >
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function Field({
  label,
  children,
}: {
  readonly label: string
  readonly children: ComponentChildren
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes as children, and the label wraps it
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  )
}

/** A one-line text input with its label; `numeric` brings up a phone's number pad. */
export function TextField({
  label,
  name,
  value,
  onValue,
  numeric = false,
}: {
  readonly label: string
  readonly name?: string
  readonly value: string
  readonly onValue: (value: string) => void
  readonly numeric?: boolean
}) {
  return (
    <Field label={label}>
      <input
        name={name}
        inputMode={numeric ? 'numeric' : undefined}
        value={value}
        onInput={(e) => onValue(inputValue(e))}
      />
    </Field>
  )
}

/** The value of an input, select or textarea event. */
export function inputValue(
  event: JSX.TargetedEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>,
) {
  return event.currentTarget.value
}

/** The topics of the cluster, as a select; `onChange` gets a name. */
export function TopicSelect({
  value,
  onChange,
}: {
  readonly value: string
  readonly onChange: (topic: string) => void
}) {
  const { path } = useCluster()
  const topics = useLoad((signal) => api<List<Topic>>('GET', path('/topics'), { signal }), [path])
  return (
    <Field label="Topic">
      <select value={value} onChange={(event) => onChange(inputValue(event))}>
        <option value="">{topics.loading ? 'Loading…' : 'Choose a topic'}</option>
        {topics.data?.data.map((topic) => (
          <option key={topic.topic_name} value={topic.topic_name}>
            {topic.topic_name}
          </option>
        ))}
      </select>
      <ErrorBox error={topics.error} />
    </Field>
  )
}

/** Where a read starts or a reset goes: either end of the log, an offset, or a time. */
export type Position = 'earliest' | 'latest' | 'offset' | 'timestamp'

export function PositionSelect({
  label,
  value,
  onChange,
}: {
  readonly label: string
  readonly value: Position
  readonly onChange: (position: Position) => void
}) {
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(inputValue(e) as Position)}>
        <option value="earliest">Earliest</option>
        <option value="latest">Latest</option>
        <option value="offset">Offset</option>
        <option value="timestamp">Timestamp</option>
      </select>
    </Field>
  )
}
