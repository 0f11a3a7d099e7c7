import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import { Page, Table, WhenLoaded } from '../components.tsx'
import { formatCount } from '../format.ts'
import { useLoad } from '../hooks.ts'
import type { ConsumerGroup, LagSummary, List } from '../types.ts'

interface GroupRow extends ConsumerGroup {
  readonly members: number
  readonly totalLag: number
}

export function GroupsPage() {
  const { path } = useCluster()
  const groups = useLoad(
    async (signal) => {
      const list = await api<List<ConsumerGroup>>('GET', path('/consumer-groups'), { signal })
      return Promise.all(
        list.data.map(async (group): Promise<GroupRow> => {
          const base = path(`/consumer-groups/${seg(group.consumer_group_id)}`)
          const [consumers, summary] = await Promise.all([
            api<List<unknown>>('GET', `${base}/consumers`, { signal }),
            api<LagSummary>('GET', `${base}/lag-summary`, { signal }),
          ])
          return { ...group, members: consumers.data.length, totalLag: summary.total_lag }
        }),
      )
    },
    [path],
  )
  return (
    <Page title="Consumer groups">
      <WhenLoaded state={groups} what="groups">
        {(loaded) => (
          <Table
            rows={loaded}
            rowKey={(g) => g.consumer_group_id}
            empty="No consumer groups yet."
            columns={[
              {
                label: 'Group',
                cell: (g) => (
                  <a href={`#/groups/${seg(g.consumer_group_id)}`}>{g.consumer_group_id}</a>
                ),
              },
              { label: 'State', cell: (g) => g.state },
              { label: 'Members', numeric: true, cell: (g) => g.members },
              { label: 'Assignor', cell: (g) => g.partition_assignor },
              { label: 'Total lag', numeric: true, cell: (g) => formatCount(g.totalLag) },
            ]}
          />
        )}
      </WhenLoaded>
    </Page>
  )
}
