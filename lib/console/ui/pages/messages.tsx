import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import {
  ErrorBox,
  Field,
  inputValue,
  Page,
  Panel,
  type Position,
  PositionSelect,
  TextField,
  TopicSelect,
} from '../components.tsx'
import { formatTime, headerText, payloadText } from '../format.ts'
import { useAction, useLoad } from '../hooks.ts'
import { matchesFilter, NO_FILTER, type RecordFilter } from '../record-filter.ts'
import type { Payload, ReadRecord, ReadResult, Topic } from '../types.ts'

/** Records kept in the page; the oldest go first when a tail brings more. */
const MAX_SHOWN = 1000
const TAIL_POLL_MS = 10_000

/** Epoch milliseconds from what was typed: a number of them, or an ISO 8601 time. */
function parseTime(text: string): number {
  const trimmed = text.trim()
  const time = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed)
  if (!Number.isFinite(time)) {
    throw new Error(
      `'${text}' is not a time: give ISO 8601 (2024-05-01T00:00:00Z) or epoch milliseconds.`,
    )
  }
  return time
}

function startQuery(seek: Position, at: string): string {
  switch (seek) {
    case 'earliest':
    case 'latest':
      return `offset=${seek}`
    case 'offset':
      return `offset=${encodeURIComponent(at.trim())}`
    case 'timestamp':
      return `timestamp=${parseTime(at)}`
  }
}

const byPosition = (a: ReadRecord, b: ReadRecord) =>
  Date.parse(a.timestamp) - Date.parse(b.timestamp) ||
  a.partition_id - b.partition_id ||
  a.offset - b.offset

function PayloadView({
  label,
  payload,
}: {
  readonly label: string
  readonly payload: Payload | null
}) {
  const text = payloadText(payload)
  return (
    <div class="payload">
      <span class="label">
        {label}
        {payload && (
          <span class="badge">
            {payload.type}
            {payload.schema_id !== undefined && ` · schema ${payload.schema_id}`}
          </span>
        )}
      </span>
      {text.includes('\n') ? <pre>{text}</pre> : <code>{text}</code>}
    </div>
  )
}

function RecordView({ record }: { readonly record: ReadRecord }) {
  return (
    <article class="record">
      <div class="meta">
        partition {record.partition_id} · offset {record.offset} · {formatTime(record.timestamp)}
      </div>
      <PayloadView label="Key" payload={record.key} />
      <PayloadView label="Value" payload={record.value} />
      {record.headers.length > 0 && (
        <div class="payload">
          <span class="label">Headers</span>
          <code>{record.headers.map((h) => `${h.name}: ${headerText(h.value)}`).join('\n')}</code>
        </div>
      )}
    </article>
  )
}

export function MessagesPage({ topic: initialTopic }: { readonly topic: string }) {
  const { path } = useCluster()
  const [topic, setTopic] = useState(initialTopic)
  const [partition, setPartition] = useState('all')
  const [seek, setSeek] = useState<Position>('earliest')
  const [at, setAt] = useState('')
  const [limit, setLimit] = useState('50')
  const [valueType, setValueType] = useState('')
  const [filter, setFilter] = useState<RecordFilter>(NO_FILTER)
  const [records, setRecords] = useState<readonly ReadRecord[]>([])
  const [tailing, setTailing] = useState(false)
  const [tailError, setTailError] = useState<unknown>()
  const next = useRef(new Map<number, number>())
  const read = useAction()

  const described = useLoad(
    (signal) =>
      topic
        ? api<Topic>('GET', path(`/topics/${seg(topic)}`), { signal })
        : Promise.resolve(undefined),
    [topic, path],
  )
  const partitions = useMemo(() => {
    const count = described.data?.partitions_count ?? 0
    const all = Array.from({ length: count }, (_, p) => p)
    return partition === 'all' ? all : all.filter((p) => p === Number(partition))
  }, [described.data, partition])

  const recordsUrl = (p: number, query: string) => {
    const types = valueType ? `&value_type=${valueType}` : ''
    return path(
      `/topics/${seg(topic)}/partitions/${p}/records?${query}&max_records=${encodeURIComponent(limit)}${types}`,
    )
  }

  const load = async (from: 'seek' | 'next') => {
    const start = from === 'seek' ? startQuery(seek, at) : undefined
    const results = await Promise.all(
      partitions.map(async (p) => {
        const result = await api<ReadResult>(
          'GET',
          recordsUrl(p, start ?? `offset=${next.current.get(p) ?? 0}`),
        )
        return [p, result] as const
      }),
    )
    if (from === 'seek') next.current = new Map()
    for (const [p, result] of results) next.current.set(p, result.next_offset)
    const fresh = results.flatMap(([, result]) => result.data)
    setRecords((shown) =>
      [...(from === 'seek' ? [] : shown), ...fresh].sort(byPosition).slice(-MAX_SHOWN),
    )
  }

  // Opening a topic shows its first records at once.
  // Only a newly described topic triggers it.
  useEffect(() => {
    if (described.data) void read.run(() => load('seek'))
  }, [described.data])

  // The live tail: a long-polling read per partition from where the last read ended; it
  // restarts only when what it reads changes.
  useEffect(() => {
    if (!tailing) return
    const controller = new AbortController()
    setTailError(undefined)
    for (const p of partitions) {
      void (async () => {
        while (!controller.signal.aborted) {
          const from = next.current.get(p) ?? 'latest'
          try {
            const result = await api<ReadResult>(
              'GET',
              recordsUrl(p, `offset=${from}&timeout_ms=${TAIL_POLL_MS}`),
              { signal: controller.signal },
            )
            next.current.set(p, result.next_offset)
            if (result.data.length > 0) {
              setRecords((shown) => [...shown, ...result.data].sort(byPosition).slice(-MAX_SHOWN))
            }
          } catch (error) {
            if (!controller.signal.aborted) {
              setTailError(error)
              setTailing(false)
            }
            return
          }
        }
      })()
    }
    return () => controller.abort()
  }, [tailing, partitions, topic, valueType])

  const shown = records.filter((record) => matchesFilter(record, filter))
  return (
    <Page title="Messages">
      <Panel title="Read">
        <form
          class="grid"
          onSubmit={(event) => {
            event.preventDefault()
            void read.run(() => load('seek'))
          }}
        >
          <TopicSelect
            value={topic}
            onChange={(t) => {
              setTopic(t)
              setRecords([])
              setTailing(false)
            }}
          />
          <Field label="Partition">
            <select value={partition} onChange={(e) => setPartition(inputValue(e))}>
              <option value="all">All</option>
              {Array.from({ length: described.data?.partitions_count ?? 0 }, (_, p) => (
                <option key={p} value={String(p)}>
                  {p}
                </option>
              ))}
            </select>
          </Field>
          <PositionSelect label="Start at" value={seek} onChange={setSeek} />
          {(seek === 'offset' || seek === 'timestamp') && (
            <TextField
              label={seek === 'offset' ? 'Offset' : 'Time (ISO 8601 or epoch ms)'}
              name="at"
              value={at}
              onValue={setAt}
            />
          )}
          <TextField
            label="Per partition"
            name="max_records"
            numeric
            value={limit}
            onValue={setLimit}
          />
          <Field label="Decode values as">
            <select value={valueType} onChange={(e) => setValueType(inputValue(e))}>
              <option value="">As produced</option>
              <option value="AVRO">Avro (Confluent wire format)</option>
              <option value="JSON">JSON</option>
              <option value="STRING">String</option>
              <option value="BINARY">Bytes (base64)</option>
            </select>
          </Field>
          <div class="buttons">
            <button type="submit" disabled={!topic || read.running}>
              Read
            </button>
            <button
              type="button"
              class="quiet"
              disabled={!topic || read.running || next.current.size === 0}
              onClick={() => void read.run(() => load('next'))}
            >
              Read more
            </button>
            <button
              type="button"
              class={tailing ? 'danger' : 'quiet'}
              disabled={!topic}
              onClick={() => setTailing(!tailing)}
            >
              {tailing ? 'Stop tail' : 'Live tail'}
            </button>
          </div>
        </form>
        <ErrorBox error={read.error ?? tailError ?? described.error} />
      </Panel>
      <Panel title="Filter">
        <div class="grid">
          <Field label="Key contains">
            <input
              name="filter_key"
              value={filter.key}
              onInput={(e) => setFilter({ ...filter, key: inputValue(e) })}
            />
          </Field>
          <Field label="Value contains">
            <input
              name="filter_value"
              value={filter.value}
              onInput={(e) => setFilter({ ...filter, value: inputValue(e) })}
            />
          </Field>
          <Field label="Header (name or name=text)">
            <input
              name="filter_header"
              value={filter.header}
              onInput={(e) => setFilter({ ...filter, header: inputValue(e) })}
            />
          </Field>
        </div>
      </Panel>
      <p class="muted" aria-live="polite">
        {tailing ? 'Tailing… ' : ''}
        {shown.length} of {records.length} records shown
      </p>
      <div class="records">
        {(tailing ? [...shown].reverse() : shown).map((record) => (
          <RecordView key={`${record.partition_id}:${record.offset}`} record={record} />
        ))}
      </div>
    </Page>
  )
}
