import { useState } from 'preact/hooks'
import { MAINTENANCE_TASKS, type MaintenanceTask } from '../../../maintenance/tasks.ts'
import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import { ErrorBox, Page, Panel, Table, TopicSelect } from '../components.tsx'
import { formatBytes, formatCount, formatTime } from '../format.ts'
import { useAction, useLoad } from '../hooks.ts'
import type { List, MaintenanceReport, Segment, Segments, Topic, TopicConfig } from '../types.ts'

const REPORTS_ITEM = 'sluice.maintenanceReports'
/** Index entries listed per partition; the summary counts them all. */
const SHOWN_ENTRIES = 200

/** Merge writes segment objects under `segments/`; everything else is still an ingest object of a produce request. */
export const isMerged = (entry: Segment) => entry.object_key.includes('/segments/')

function PartitionStorage({
  partition,
  segments,
}: {
  readonly partition: number
  readonly segments: Segments
}) {
  const entries = segments.data
  const merged = entries.filter(isMerged)
  const records = entries.reduce((sum, e) => sum + e.record_count, 0)
  const span = segments.log_end_offset - segments.log_start_offset
  return (
    <Panel title={`Partition ${partition}`}>
      <p class="summary">
        Log start {formatCount(segments.log_start_offset)}, end{' '}
        {formatCount(segments.log_end_offset)} · {formatCount(entries.length)} index entries (
        {formatCount(merged.length)} merged segments, {formatCount(entries.length - merged.length)}{' '}
        ingest objects not yet merged) ·{' '}
        {formatBytes(entries.reduce((sum, e) => sum + e.byte_length, 0))}
        {span > records && ` · ${formatCount(span - records)} offsets removed by compaction`}
      </p>
      {entries.length > SHOWN_ENTRIES && (
        <p class="muted small">The last {SHOWN_ENTRIES} entries:</p>
      )}
      <Table
        rows={entries.slice(-SHOWN_ENTRIES)}
        rowKey={(e) => String(e.base_offset)}
        empty="No index entries: the partition is empty."
        columns={[
          { label: 'Offsets', cell: (e) => `${e.base_offset}–${e.last_offset}` },
          { label: 'Records', numeric: true, cell: (e) => formatCount(e.record_count) },
          { label: 'Size', numeric: true, cell: (e) => formatBytes(e.byte_length) },
          { label: 'Kind', cell: (e) => (isMerged(e) ? 'segment' : 'ingest') },
          {
            label: 'Timestamps',
            cell: (e) => `${formatTime(e.min_timestamp)} – ${formatTime(e.max_timestamp)}`,
          },
        ]}
      />
    </Panel>
  )
}

function loadReports(): MaintenanceReport[] {
  try {
    return JSON.parse(sessionStorage.getItem(REPORTS_ITEM) ?? '[]') as MaintenanceReport[]
  } catch {
    return []
  }
}

function ReportView({ report }: { readonly report: MaintenanceReport }) {
  const { totals } = report
  return (
    <div class="report">
      <p>
        <strong>{formatTime(report.startedAt)}</strong> · {report.tasks.join(', ')} ·{' '}
        {report.elapsedMs} ms
        {report.complete ? '' : ' · stopped by its deadline'} · {totals.partitionsTouched}{' '}
        partitions changed, {report.idlePartitions} had nothing to do · entries{' '}
        {totals.entriesBefore} → {totals.entriesAfter} · {formatBytes(totals.bytesRewritten)}{' '}
        rewritten · {formatCount(totals.recordsDropped)} records dropped
        {report.gc &&
          ` · GC deleted ${report.gc.objectsDeleted} objects (${formatBytes(report.gc.bytesDeleted)})`}
      </p>
      {report.partitions.length > 0 && (
        <Table
          rows={report.partitions}
          rowKey={(p) => `${p.topic}/${p.partition}`}
          empty=""
          columns={[
            { label: 'Partition', cell: (p) => `${p.topic}/${p.partition}` },
            { label: 'Outcome', cell: (p) => p.outcome + (p.error ? `: ${p.error}` : '') },
            {
              label: 'Tasks',
              cell: (p) =>
                Object.entries(p.tasks)
                  .map(
                    ([task, t]) =>
                      `${task}: ${t.entriesBefore} → ${t.entriesAfter} entries, ${t.recordsDropped} dropped`,
                  )
                  .join('; '),
            },
          ]}
        />
      )}
    </div>
  )
}

function Maintenance({ topic, onRun }: { readonly topic: string; readonly onRun: () => void }) {
  const { path } = useCluster()
  const [tasks, setTasks] = useState<readonly MaintenanceTask[]>(['merge', 'compact', 'retention'])
  const [reports, setReports] = useState(loadReports)
  const action = useAction()
  const run = async () => {
    const report = await action.run(() =>
      api<MaintenanceReport>('POST', path('/maintenance:run'), {
        body: { tasks, ...(topic && { topics: [topic] }) },
      }),
    )
    if (!report) return
    const kept = [report, ...reports].slice(0, 10)
    sessionStorage.setItem(REPORTS_ITEM, JSON.stringify(kept))
    setReports(kept)
    onRun()
  }
  return (
    <Panel title="Maintenance">
      <p class="muted small">
        Runs now, {topic ? `on ${topic}` : 'on every topic'}. The scheduled runs keep no reports the
        API could show: the reports below are the runs started from this tab.
      </p>
      <div class="inline">
        {MAINTENANCE_TASKS.map((task) => (
          <label key={task} class="check">
            <input
              type="checkbox"
              checked={tasks.includes(task)}
              onChange={() =>
                setTasks(tasks.includes(task) ? tasks.filter((t) => t !== task) : [...tasks, task])
              }
            />
            {task}
          </label>
        ))}
        <button type="button" disabled={action.running} onClick={run}>
          {action.running ? 'Running…' : 'Run maintenance'}
        </button>
      </div>
      <ErrorBox error={action.error} />
      {reports.map((report) => (
        <ReportView key={report.startedAt} report={report} />
      ))}
    </Panel>
  )
}

export function StoragePage({ topic: initialTopic }: { readonly topic: string }) {
  const { path } = useCluster()
  const [topic, setTopic] = useState(initialTopic)
  const storage = useLoad(
    async (signal) => {
      if (!topic) return undefined
      const base = path(`/topics/${seg(topic)}`)
      const [described, configs] = await Promise.all([
        api<Topic>('GET', base, { signal }),
        api<List<TopicConfig>>('GET', `${base}/configs`, { signal }),
      ])
      const partitions = await Promise.all(
        Array.from({ length: described.partitions_count }, (_, p) =>
          api<Segments>('GET', `${base}/partitions/${p}/segments?limit=10000`, { signal }),
        ),
      )
      const policy = configs.data.find((c) => c.name === 'cleanup.policy')?.value ?? 'delete'
      return { policy, partitions }
    },
    [topic, path],
  )
  return (
    <Page title="Storage">
      <div class="grid">
        <TopicSelect value={topic} onChange={setTopic} />
      </div>
      <ErrorBox error={storage.error} />
      {storage.data && (
        <>
          <p>
            cleanup.policy <strong>{storage.data.policy}</strong>:{' '}
            {storage.data.policy.includes('compact')
              ? 'compaction keeps the latest record per key; merge folds small entries into segments.'
              : 'merge folds small entries into segments; retention drops old ones.'}
          </p>
          {storage.data.partitions.map((segments, p) => (
            <PartitionStorage key={p} partition={p} segments={segments} />
          ))}
        </>
      )}
      <Maintenance topic={topic} onRun={storage.reload} />
    </Page>
  )
}
