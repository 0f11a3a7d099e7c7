import { useState } from 'preact/hooks'
import { useLocation } from 'wouter-preact'
import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import {
  ErrorBox,
  Field,
  inputValue,
  Page,
  Panel,
  Table,
  TextField,
  WhenLoaded,
} from '../components.tsx'
import { numberOrText, parseConfigLines } from '../form-input.ts'
import { formatBytes, formatCount, formatRate } from '../format.ts'
import { useAction, useLoad } from '../hooks.ts'
import { bytesIn, recordsIn, useTopicStats } from '../topic-stats.ts'
import type { List, Topic } from '../types.ts'

function CreateTopic({ onCreated }: { readonly onCreated: (name: string) => void }) {
  const { path } = useCluster()
  const [name, setName] = useState('')
  const [partitions, setPartitions] = useState('1')
  const [policy, setPolicy] = useState('delete')
  const [configs, setConfigs] = useState('')
  const action = useAction()
  return (
    <Panel title="Create a topic">
      <form
        class="grid"
        onSubmit={async (event) => {
          event.preventDefault()
          const entries = parseConfigLines(configs)
          if (policy !== 'delete') entries.unshift({ name: 'cleanup.policy', value: policy })
          const created = await action.run(() =>
            api<Topic>('POST', path('/topics'), {
              body: {
                topic_name: name,
                partitions_count: numberOrText(partitions),
                configs: entries,
              },
            }),
          )
          if (created) onCreated(created.topic_name)
        }}
      >
        <TextField label="Name" name="topic_name" value={name} onValue={setName} />
        <TextField
          label="Partitions"
          name="partitions_count"
          numeric
          value={partitions}
          onValue={setPartitions}
        />
        <Field label="Cleanup policy">
          <select value={policy} onChange={(e) => setPolicy(inputValue(e))}>
            <option value="delete">delete</option>
            <option value="compact">compact</option>
            <option value="compact,delete">compact,delete</option>
          </select>
        </Field>
        <Field label="Other configs (name=value per line)">
          <textarea
            rows={2}
            value={configs}
            onInput={(e) => setConfigs(inputValue(e))}
            placeholder="retention.ms=86400000"
          />
        </Field>
        <div class="buttons">
          <button type="submit" disabled={action.running}>
            Create topic
          </button>
        </div>
      </form>
      <ErrorBox error={action.error} />
    </Panel>
  )
}

export function TopicsPage() {
  const { path } = useCluster()
  const [, navigate] = useLocation()
  const topics = useLoad((signal) => api<List<Topic>>('GET', path('/topics'), { signal }), [path])
  const stats = useTopicStats(topics.data?.data ?? [])
  return (
    <Page title="Topics">
      <WhenLoaded state={topics} what="topics">
        {(loaded) => (
          <Table
            rows={loaded.data}
            rowKey={(topic) => topic.topic_name}
            empty="No topics yet: create one below."
            columns={[
              {
                label: 'Topic',
                cell: (t) => <a href={`#/topics/${seg(t.topic_name)}`}>{t.topic_name}</a>,
              },
              { label: 'Partitions', numeric: true, cell: (t) => t.partitions_count },
              {
                label: 'Records',
                numeric: true,
                cell: (t) => {
                  const s = stats.get(t.topic_name)
                  return s ? formatCount(recordsIn(s)) : '…'
                },
              },
              {
                label: 'Size',
                numeric: true,
                cell: (t) => {
                  const s = stats.get(t.topic_name)
                  return s ? formatBytes(bytesIn(s)) : '…'
                },
              },
              {
                label: 'Throughput',
                numeric: true,
                cell: (t) => {
                  const rate = stats.get(t.topic_name)?.rate
                  return rate === undefined ? 'measuring…' : formatRate(rate)
                },
              },
            ]}
          />
        )}
      </WhenLoaded>
      <p class="muted small">
        Throughput is measured by this page: records appended between two samples 5 s apart.
      </p>
      <CreateTopic onCreated={(name) => navigate(`/topics/${seg(name)}`)} />
    </Page>
  )
}
