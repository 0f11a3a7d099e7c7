import { useCallback, useEffect, useState } from 'preact/hooks'
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter-preact'
import { useHashLocation } from 'wouter-preact/use-hash-location'
import { ApiError, api, apiKey, onSignInRequired } from './api.ts'
import { type Cluster, ClusterContext, clusterOf } from './cluster.ts'
import { ErrorBox, Field, inputValue } from './components.tsx'
import { GroupPage } from './pages/group.tsx'
import { GroupsPage } from './pages/groups.tsx'
import { MessagesPage } from './pages/messages.tsx'
import { ProducePage } from './pages/produce.tsx'
import { SchemasPage } from './pages/schemas.tsx'
import { StoragePage } from './pages/storage.tsx'
import { SubjectPage } from './pages/subject.tsx'
import { TopicPage } from './pages/topic.tsx'
import { TopicsPage } from './pages/topics.tsx'
import type { List } from './types.ts'

const SECTIONS = [
  ['/topics', 'Topics'],
  ['/messages', 'Messages'],
  ['/produce', 'Produce'],
  ['/groups', 'Groups'],
  ['/schemas', 'Schemas'],
  ['/storage', 'Storage'],
] as const

/** A route parameter as it was before the link escaped it. */
const param = (text: string | undefined) =>
  text === undefined ? undefined : decodeURIComponent(text)

function Nav({
  clusterId,
  onSignOut,
}: {
  readonly clusterId: string
  readonly onSignOut?: () => void
}) {
  const [location] = useLocation()
  return (
    <header class="top">
      <a class="brand" href="#/topics">
        Sluice
      </a>
      <nav>
        {SECTIONS.map(([href, label]) => (
          <Link key={href} href={href} class={location.startsWith(href) ? 'active' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      <span class="cluster" title="Cluster id">
        {clusterId}
      </span>
      {onSignOut && (
        <button type="button" class="quiet" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </header>
  )
}

function SignIn({
  refusal,
  onSignIn,
}: {
  readonly refusal: ApiError
  readonly onSignIn: (key: string) => void
}) {
  const [key, setKey] = useState('')
  return (
    <main class="signin">
      <form
        class="panel"
        onSubmit={(event) => {
          event.preventDefault()
          onSignIn(key.trim())
        }}
      >
        <h1>Sign in to Sluice</h1>
        <p class="muted">This API needs an API key (sluice_…). It is kept in this tab only.</p>
        <ErrorBox error={refusal} />
        <Field label="API key">
          <input
            type="password"
            autocomplete="off"
            value={key}
            onInput={(event) => setKey(inputValue(event))}
            required
          />
        </Field>
        <button type="submit">Sign in</button>
      </form>
    </main>
  )
}

export function App() {
  const [cluster, setCluster] = useState<Cluster>()
  const [refusal, setRefusal] = useState<ApiError>()
  const [failure, setFailure] = useState<unknown>()

  const connect = useCallback(async () => {
    try {
      const clusters = await api<List<{ cluster_id: string }>>('GET', '/v3/clusters')
      const first = clusters.data[0]
      if (!first) throw new Error('The API serves no cluster.')
      setCluster(clusterOf(first.cluster_id))
      setRefusal(undefined)
      setFailure(undefined)
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) setFailure(error)
    }
  }, [])

  useEffect(() => {
    const stop = onSignInRequired((error) => {
      // A key that was sent and refused is no good: forget it.
      apiKey.clear()
      setRefusal(error)
    })
    void connect()
    return stop
  }, [connect])

  if (refusal) {
    return (
      <SignIn
        refusal={refusal}
        onSignIn={(key) => {
          apiKey.set(key)
          void connect()
        }}
      />
    )
  }
  if (!cluster) {
    return <main>{failure ? <ErrorBox error={failure} /> : <p class="muted">Connecting…</p>}</main>
  }
  const signedIn = apiKey.get() !== null
  return (
    <ClusterContext.Provider value={cluster}>
      <Router hook={useHashLocation}>
        <Nav
          clusterId={cluster.id}
          {...(signedIn && {
            onSignOut: () => {
              apiKey.clear()
              void connect()
            },
          })}
        />
        <main>
          <Switch>
            <Route path="/topics">{() => <TopicsPage />}</Route>
            <Route path="/topics/:topic">{(p) => <TopicPage topic={param(p.topic) ?? ''} />}</Route>
            <Route path="/messages/:topic?">
              {(p) => <MessagesPage topic={param(p.topic) ?? ''} />}
            </Route>
            <Route path="/produce/:topic?">
              {(p) => <ProducePage topic={param(p.topic) ?? ''} />}
            </Route>
            <Route path="/groups">{() => <GroupsPage />}</Route>
            <Route path="/groups/:group">{(p) => <GroupPage group={param(p.group) ?? ''} />}</Route>
            <Route path="/schemas">{() => <SchemasPage />}</Route>
            <Route path="/schemas/:subject">
              {(p) => <SubjectPage subject={param(p.subject) ?? ''} />}
            </Route>
            <Route path="/storage/:topic?">
              {(p) => <StoragePage topic={param(p.topic) ?? ''} />}
            </Route>
            <Route>
              <Redirect to="/topics" replace />
            </Route>
          </Switch>
        </main>
      </Router>
    </ClusterContext.Provider>
  )
}
