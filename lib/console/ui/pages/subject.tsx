import { diffLines } from 'diff'
import { useEffect, useState } from 'preact/hooks'
import { api, seg } from '../api.ts'
import { ErrorBox, Field, inputValue, Page, Panel, WhenLoaded } from '../components.tsx'
import { prettySchema } from '../format.ts'
import { useAction, useLoad } from '../hooks.ts'
import type { Compatibility, SubjectVersion } from '../types.ts'
import { CompatibilityLevel } from './schemas.tsx'

function useVersion(subject: string, version: number | undefined) {
  return useLoad(
    (signal) =>
      version === undefined
        ? Promise.resolve(undefined)
        : api<SubjectVersion>('GET', `/subjects/${seg(subject)}/versions/${version}`, { signal }),
    [subject, version],
  )
}

function VersionSelect({
  label,
  versions,
  value,
  onChange,
}: {
  readonly label: string
  readonly versions: readonly number[]
  readonly value: number | undefined
  readonly onChange: (v: number) => void
}) {
  return (
    <Field label={label}>
      <select
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(Number(inputValue(e)))}
      >
        {versions.map((v) => (
          <option key={v} value={String(v)}>
            Version {v}
          </option>
        ))}
      </select>
    </Field>
  )
}

function Diff({
  subject,
  versions,
}: {
  readonly subject: string
  readonly versions: readonly number[]
}) {
  const [from, setFrom] = useState(versions.at(-2) ?? versions[0])
  const [to, setTo] = useState(versions.at(-1))
  const a = useVersion(subject, from)
  const b = useVersion(subject, to)
  const parts =
    a.data && b.data
      ? diffLines(prettySchema(a.data.schema), prettySchema(b.data.schema))
      : undefined
  return (
    <Panel title="Diff between versions">
      <div class="grid">
        <VersionSelect label="From" versions={versions} value={from} onChange={setFrom} />
        <VersionSelect label="To" versions={versions} value={to} onChange={setTo} />
      </div>
      <ErrorBox error={a.error ?? b.error} />
      {parts && (
        <pre class="diff">
          {parts.map((part, i) => (
            <span key={i} class={part.added ? 'added' : part.removed ? 'removed' : undefined}>
              {part.value
                .replace(/\n$/, '')
                .split('\n')
                .map((line) => `${part.added ? '+' : part.removed ? '-' : ' '} ${line}\n`)
                .join('')}
            </span>
          ))}
        </pre>
      )}
    </Panel>
  )
}

function NewVersion({
  subject,
  latest,
  onRegistered,
}: {
  readonly subject: string
  readonly latest: string
  readonly onRegistered: () => void
}) {
  const [schema, setSchema] = useState(latest)
  const [against, setAgainst] = useState<'latest' | 'all'>('latest')
  const [verdict, setVerdict] = useState<Compatibility>()
  const [registered, setRegistered] = useState<number>()
  const check = useAction()
  const register = useAction()
  useEffect(() => {
    setVerdict(undefined)
    setRegistered(undefined)
  }, [schema, against])
  const compatibilityPath = `/compatibility/subjects/${seg(subject)}/versions${against === 'latest' ? '/latest' : ''}?verbose=true`
  return (
    <Panel title="New version">
      <Field label="Avro schema">
        <textarea
          name="new_schema"
          class="wide"
          rows={10}
          value={schema}
          onInput={(e) => setSchema(inputValue(e))}
        />
      </Field>
      <div class="inline">
        <Field label="Check against">
          <select value={against} onChange={(e) => setAgainst(inputValue(e) as 'latest' | 'all')}>
            <option value="latest">The latest version</option>
            <option value="all">Every version</option>
          </select>
        </Field>
        <button
          type="button"
          disabled={check.running}
          onClick={async () => {
            const result = await check.run(() =>
              api<Compatibility>('POST', compatibilityPath, { body: { schema } }),
            )
            if (result) setVerdict(result)
          }}
        >
          Check compatibility
        </button>
        <button
          type="button"
          disabled={register.running || verdict?.is_compatible !== true}
          onClick={async () => {
            const result = await register.run(() =>
              api<{ id: number }>('POST', `/subjects/${seg(subject)}/versions`, {
                body: { schema },
              }),
            )
            if (result) {
              setRegistered(result.id)
              onRegistered()
            }
          }}
        >
          Register
        </button>
      </div>
      <ErrorBox error={check.error ?? register.error} />
      {verdict && (
        <div class={verdict.is_compatible ? 'notice' : 'error'} role="status">
          {verdict.is_compatible ? 'Compatible: it can be registered.' : 'Not compatible:'}
          {verdict.messages && verdict.messages.length > 0 && (
            <ul>
              {verdict.messages.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {registered !== undefined && <p class="notice">Registered as schema id {registered}.</p>}
    </Panel>
  )
}

export function SubjectPage({ subject }: { readonly subject: string }) {
  const versions = useLoad(
    (signal) => api<number[]>('GET', `/subjects/${seg(subject)}/versions`, { signal }),
    [subject],
  )
  const level = useLoad(
    (signal) =>
      api<{ compatibilityLevel: string }>('GET', `/config/${seg(subject)}?defaultToGlobal=true`, {
        signal,
      }),
    [subject],
  )
  const [shown, setShown] = useState<number>()
  const latestNumber = versions.data?.at(-1)
  const viewed = useVersion(subject, shown ?? latestNumber)
  const latest = useVersion(subject, latestNumber)
  return (
    <Page title={subject}>
      <ErrorBox error={level.error} />
      {level.data && (
        <CompatibilityLevel
          configPath={`/config/${seg(subject)}`}
          level={level.data.compatibilityLevel}
          onChanged={level.reload}
        />
      )}
      <WhenLoaded state={versions} what="versions">
        {(loaded) => (
          <>
            <Panel title="Versions">
              <VersionSelect
                label="Version"
                versions={loaded}
                value={shown ?? latestNumber}
                onChange={setShown}
              />
              <ErrorBox error={viewed.error} />
              {viewed.data && (
                <>
                  <p class="muted">Schema id {viewed.data.id}</p>
                  <pre>{prettySchema(viewed.data.schema)}</pre>
                </>
              )}
            </Panel>
            {loaded.length > 1 && <Diff key={loaded.length} subject={subject} versions={loaded} />}
            {latest.data && (
              <NewVersion
                key={latest.data.version}
                subject={subject}
                latest={prettySchema(latest.data.schema)}
                onRegistered={versions.reload}
              />
            )}
          </>
        )}
      </WhenLoaded>
    </Page>
  )
}
