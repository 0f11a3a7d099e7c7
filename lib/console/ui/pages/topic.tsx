import { useState } from 'preact/hooks'
import { useLocation } from 'wouter-preact'
import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import {
  ErrorBox,
  Field,
  inputValue,
  Loading,
  Page,
  Panel,
  Table,
  TextField,
} from '../components.tsx'
import { numberOrText } from '../form-input.ts'
import { formatBytes, formatCount, formatRate } from '../format.ts'
import { useAction, useLoad } from '../hooks.ts'
import { useTopicStats } from '../topic-stats.ts'
import type { List, Topic, TopicConfig } from '../types.ts'

function ConfigRow({
  topic,
  config,
  onChanged,
}: {
  readonly topic: string
  readonly config: TopicConfig
  readonly onChanged: () => void
}) {
  const { path } = useCluster()
  const [value, setValue] = useState(config.value ?? '')
  const action = useAction()
  const url = path(`/topics/${seg(topic)}/configs/${seg(config.name)}`)
  const change = async (request: () => Promise<unknown>) => {
    if (await action.run(() => request().then(() => true))) onChanged()
  }
  return (
    <div class="config">
      <span class="config-name">
        {config.name}
        {config.is_default && <span class="badge">default</span>}
      </span>
      <input aria-label={config.name} value={value} onInput={(e) => setValue(inputValue(e))} />
      <span class="buttons">
        <button
          type="button"
          disabled={action.running || value === (config.value ?? '')}
          onClick={() => change(() => api('PUT', url, { body: { value } }))}
        >
          Save
        </button>
        {!config.is_default && (
          <button
            type="button"
            class="quiet"
            disabled={action.running}
            onClick={() => change(() => api('DELETE', url))}
          >
            Reset
          </button>
        )}
      </span>
      <ErrorBox error={action.error} />
    </div>
  )
}

function Configs({ topic }: { readonly topic: string }) {
  const { path } = useCluster()
  const configs = useLoad(
    (signal) => api<List<TopicConfig>>('GET', path(`/topics/${seg(topic)}/configs`), { signal }),
    [topic, path],
  )
  return (
    <Panel title="Configs">
      <ErrorBox error={configs.error} />
      {configs.data?.data.map((config) => (
        <ConfigRow
          key={`${config.name}=${config.value}`}
          topic={topic}
          config={config}
          onChanged={configs.reload}
        />
      ))}
    </Panel>
  )
}

function Partitions({ topic }: { readonly topic: Topic }) {
  const stats = useTopicStats([topic]).get(topic.topic_name)
  if (!stats) return <Loading what="partitions" />
  return (
    <>
      <p class="muted">
        Throughput: {stats.rate === undefined ? 'measuring…' : formatRate(stats.rate)} (sampled here
        every 5 s)
      </p>
      <Table
        rows={stats.partitions}
        rowKey={(p) => String(p.partition)}
        empty="No partitions."
        columns={[
          { label: 'Partition', cell: (p) => p.partition },
          { label: 'Start offset', numeric: true, cell: (p) => formatCount(p.earliest) },
          { label: 'End offset', numeric: true, cell: (p) => formatCount(p.latest) },
          { label: 'Index entries', numeric: true, cell: (p) => formatCount(p.entries) },
          { label: 'Size', numeric: true, cell: (p) => formatBytes(p.bytes) },
        ]}
      />
    </>
  )
}

function Alter({ topic, onChanged }: { readonly topic: Topic; readonly onChanged: () => void }) {
  const { path } = useCluster()
  const [, navigate] = useLocation()
  const [count, setCount] = useState(String(topic.partitions_count))
  const [confirm, setConfirm] = useState('')
  const grow = useAction()
  const remove = useAction()
  const url = path(`/topics/${seg(topic.topic_name)}`)
  return (
    <Panel title="Change">
      <form
        class="inline"
        onSubmit={async (event) => {
          event.preventDefault()
          if (
            await grow.run(() =>
              api('PATCH', url, { body: { partitions_count: numberOrText(count) } }).then(
                () => true,
              ),
            )
          )
            onChanged()
        }}
      >
        <TextField label="Partitions (grow only)" numeric value={count} onValue={setCount} />
        <button type="submit" disabled={grow.running}>
          Set partitions
        </button>
      </form>
      <ErrorBox error={grow.error} />
      <form
        class="inline"
        onSubmit={async (event) => {
          event.preventDefault()
          if (await remove.run(() => api('DELETE', url).then(() => true))) navigate('/topics')
        }}
      >
        <Field label={`Type ${topic.topic_name} to delete it`}>
          <input value={confirm} onInput={(e) => setConfirm(inputValue(e))} />
        </Field>
        <button
          type="submit"
          class="danger"
          disabled={remove.running || confirm !== topic.topic_name}
        >
          Delete topic
        </button>
      </form>
      <ErrorBox error={remove.error} />
    </Panel>
  )
}

export function TopicPage({ topic }: { readonly topic: string }) {
  const { path } = useCluster()
  const described = useLoad(
    (signal) => api<Topic>('GET', path(`/topics/${seg(topic)}`), { signal }),
    [topic, path],
  )
  return (
    <Page
      title={topic}
      actions={
        <>
          <a class="button" href={`#/messages/${seg(topic)}`}>
            Browse
          </a>
          <a class="button" href={`#/produce/${seg(topic)}`}>
            Produce
          </a>
          <a class="button" href={`#/storage/${seg(topic)}`}>
            Storage
          </a>
        </>
      }
    >
      <ErrorBox error={described.error} />
      {described.data && (
        <>
          <Panel title={`Partitions (${described.data.partitions_count})`}>
            <Partitions topic={described.data} />
          </Panel>
          <Configs topic={topic} />
          <Alter
            key={described.data.partitions_count}
            topic={described.data}
            onChanged={described.reload}
          />
        </>
      )}
    </Page>
  )
}
