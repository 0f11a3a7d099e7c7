import { useEffect, useState } from 'preact/hooks'
import { useLocation } from 'wouter-preact'
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
  Table,
  TextField,
  TopicSelect,
  WhenLoaded,
} from '../components.tsx'
import { numberOrText } from '../form-input.ts'
import { formatCount } from '../format.ts'
import { useAction, useInterval, useLoad } from '../hooks.ts'
import { LagChart, type LagSample } from '../lag-chart.tsx'
import type { Assignment, Consumer, ConsumerGroup, Lag, List, ResetResult } from '../types.ts'

const SAMPLE_MS = 5000
/** Ten minutes of samples. */
const MAX_SAMPLES = 120

type Scope = 'committed' | 'topic' | 'partition'

interface Member extends Consumer {
  readonly assignments: readonly Assignment[]
}

const partitionName = (topic: string, partition: number) => `${topic}/${partition}`

function Members({ base }: { readonly base: string }) {
  const members = useLoad(
    async (signal) => {
      const consumers = await api<List<Consumer>>('GET', `${base}/consumers`, { signal })
      return Promise.all(
        consumers.data.map(async (consumer): Promise<Member> => {
          const held = await api<List<Assignment>>(
            'GET',
            `${base}/consumers/${seg(consumer.consumer_id)}/assignments`,
            { signal },
          )
          return { ...consumer, assignments: held.data }
        }),
      )
    },
    [base],
  )
  return (
    <Panel title="Members">
      <WhenLoaded state={members} what="members">
        {(loaded) => (
          <Table
            rows={loaded}
            rowKey={(m) => m.consumer_id}
            empty="No members: the group is empty."
            columns={[
              { label: 'Consumer', cell: (m) => <code>{m.consumer_id}</code> },
              { label: 'Client', cell: (m) => m.client_id },
              {
                label: 'Assignments',
                cell: (m) =>
                  m.assignments
                    .map((a) => partitionName(a.topic_name, a.partition_id))
                    .join(', ') || 'none',
              },
            ]}
          />
        )}
      </WhenLoaded>
    </Panel>
  )
}

function ResetOffsets({
  base,
  lags,
  onReset,
}: {
  readonly base: string
  readonly lags: readonly Lag[]
  readonly onReset: () => void
}) {
  const [to, setTo] = useState<Position>('earliest')
  const [at, setAt] = useState('')
  const [scope, setScope] = useState<Scope>('committed')
  const [topic, setTopic] = useState('')
  const [partition, setPartition] = useState('0')
  const [plan, setPlan] = useState<{
    readonly result: ResetResult
    readonly executed: boolean
    /** The committed offsets when the answer came: what the table compares with. */
    readonly before: ReadonlyMap<string, number>
  }>()
  const action = useAction()
  // A changed form needs a new dry run before it may reset.
  useEffect(() => setPlan(undefined), [to, at, scope, topic, partition])

  const body = (validateOnly: boolean) => ({
    to,
    validate_only: validateOnly,
    ...(to === 'offset' && { offset: numberOrText(at) }),
    ...(to === 'timestamp' && { timestamp: at }),
    ...(scope === 'topic' && { topics: [topic] }),
    ...(scope === 'partition' && {
      partitions: [{ topic_name: topic, partition_id: numberOrText(partition) }],
    }),
  })
  const current = new Map(
    lags.map((lag) => [partitionName(lag.topic_name, lag.partition_id), lag.current_offset]),
  )
  const submit = async (validateOnly: boolean) => {
    const result = await action.run(() =>
      api<ResetResult>('POST', `${base}/offsets:reset`, { body: body(validateOnly) }),
    )
    if (!result) return
    setPlan({ result, executed: !validateOnly, before: current })
    if (!validateOnly) onReset()
  }

  return (
    <Panel title="Reset offsets">
      <p class="muted small">
        Only while the group has no members. Dry run shows the offsets a reset would commit and
        commits nothing.
      </p>
      <form class="grid" onSubmit={(event) => event.preventDefault()}>
        <PositionSelect label="To" value={to} onChange={setTo} />
        {(to === 'offset' || to === 'timestamp') && (
          <Field label={to === 'offset' ? 'Offset' : 'Time (RFC 3339)'}>
            <input
              name="reset_at"
              value={at}
              onInput={(e) => setAt(inputValue(e))}
              placeholder={to === 'timestamp' ? '2024-05-01T00:00:00Z' : ''}
            />
          </Field>
        )}
        <Field label="Partitions">
          <select value={scope} onChange={(e) => setScope(inputValue(e) as Scope)}>
            <option value="committed">All with committed offsets</option>
            <option value="topic">One topic</option>
            <option value="partition">One partition</option>
          </select>
        </Field>
        {scope !== 'committed' && <TopicSelect value={topic} onChange={setTopic} />}
        {scope === 'partition' && (
          <TextField
            label="Partition"
            name="reset_partition"
            numeric
            value={partition}
            onValue={setPartition}
          />
        )}
        <div class="buttons">
          <button type="button" disabled={action.running} onClick={() => submit(true)}>
            Dry run
          </button>
          <button
            type="button"
            class="danger"
            disabled={action.running || !plan || plan.executed}
            onClick={() => submit(false)}
          >
            Reset
          </button>
        </div>
      </form>
      <ErrorBox error={action.error} />
      {plan && (
        <>
          <p class="notice">
            {plan.executed ? 'Offsets reset:' : 'Dry run: nothing committed. A reset would commit:'}
          </p>
          <Table
            rows={plan.result.data}
            rowKey={(o) => partitionName(o.topic_name, o.partition_id)}
            empty="No partitions."
            columns={[
              { label: 'Partition', cell: (o) => partitionName(o.topic_name, o.partition_id) },
              {
                label: plan.executed ? 'Was' : 'Committed now',
                numeric: true,
                cell: (o) => {
                  const was = plan.before.get(partitionName(o.topic_name, o.partition_id))
                  return was === undefined ? 'none' : formatCount(was)
                },
              },
              {
                label: plan.executed ? 'Now' : 'Would be',
                numeric: true,
                cell: (o) => formatCount(o.offset),
              },
            ]}
          />
        </>
      )}
    </Panel>
  )
}

export function GroupPage({ group }: { readonly group: string }) {
  const { path } = useCluster()
  const [, navigate] = useLocation()
  const base = path(`/consumer-groups/${seg(group)}`)
  const described = useLoad((signal) => api<ConsumerGroup>('GET', base, { signal }), [base])
  const [lags, setLags] = useState<readonly Lag[]>()
  const [lagError, setLagError] = useState<unknown>()
  const [samples, setSamples] = useState<readonly LagSample[]>([])
  const remove = useAction()

  const sample = async () => {
    try {
      const latest = (await api<List<Lag>>('GET', `${base}/lags`)).data
      setLags(latest)
      setLagError(undefined)
      const point: LagSample = {
        at: Date.now(),
        lags: Object.fromEntries(
          latest.map((lag) => [partitionName(lag.topic_name, lag.partition_id), lag.lag]),
        ),
      }
      setSamples((kept) => [...kept, point].slice(-MAX_SAMPLES))
    } catch (error) {
      setLagError(error)
    }
  }
  useInterval(sample, SAMPLE_MS, [base])

  return (
    <Page
      title={group}
      actions={
        <button
          type="button"
          class="danger"
          disabled={remove.running}
          onClick={async () => {
            if (await remove.run(() => api('DELETE', base).then(() => true))) navigate('/groups')
          }}
        >
          Delete group
        </button>
      }
    >
      <ErrorBox error={described.error ?? remove.error} />
      {described.data && (
        <p>
          State <strong>{described.data.state}</strong> · assignor{' '}
          {described.data.partition_assignor} · total lag{' '}
          <strong>{lags ? formatCount(lags.reduce((sum, lag) => sum + lag.lag, 0)) : '…'}</strong>
        </p>
      )}
      <Members base={base} />
      <Panel title="Lag">
        <ErrorBox error={lagError} />
        <LagChart samples={samples} />
        {lags && (
          <Table
            rows={lags}
            rowKey={(l) => partitionName(l.topic_name, l.partition_id)}
            empty="No committed offsets."
            columns={[
              { label: 'Partition', cell: (l) => partitionName(l.topic_name, l.partition_id) },
              { label: 'Committed', numeric: true, cell: (l) => formatCount(l.current_offset) },
              { label: 'Log end', numeric: true, cell: (l) => formatCount(l.log_end_offset) },
              { label: 'Lag', numeric: true, cell: (l) => formatCount(l.lag) },
              {
                label: 'Consumer',
                cell: (l) => (l.consumer_id ? <code>{l.consumer_id}</code> : 'none'),
              },
            ]}
          />
        )}
      </Panel>
      <ResetOffsets base={base} lags={lags ?? []} onReset={sample} />
    </Page>
  )
}
