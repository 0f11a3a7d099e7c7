import { useState } from 'preact/hooks'
import { useLocation } from 'wouter-preact'
import { COMPATIBILITY_LEVELS } from '../../../registry/compatibility-levels.ts'
import { api, seg } from '../api.ts'
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
import { useAction, useLoad } from '../hooks.ts'
import type { SubjectVersion } from '../types.ts'

/** A compatibility level, shown and changed with PUT on `configPath` (`/config` or `/config/{subject}`). */
export function CompatibilityLevel({
  configPath,
  level,
  onChanged,
}: {
  readonly configPath: string
  readonly level: string
  readonly onChanged: () => void
}) {
  const action = useAction()
  return (
    <div class="inline">
      <Field label="Compatibility">
        <select
          value={level}
          disabled={action.running}
          onChange={async (e) => {
            const compatibility = inputValue(e)
            if (
              await action.run(() =>
                api('PUT', configPath, { body: { compatibility } }).then(() => true),
              )
            )
              onChanged()
          }}
        >
          {COMPATIBILITY_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </Field>
      <ErrorBox error={action.error} />
    </div>
  )
}

function NewSubject() {
  const [, navigate] = useLocation()
  const [subject, setSubject] = useState('')
  const [schema, setSchema] = useState('')
  const action = useAction()
  return (
    <Panel title="Register a new subject">
      <form
        class="grid"
        onSubmit={async (event) => {
          event.preventDefault()
          const registered = await action.run(() =>
            api<{ id: number }>('POST', `/subjects/${seg(subject)}/versions`, { body: { schema } }),
          )
          if (registered) navigate(`/schemas/${seg(subject)}`)
        }}
      >
        <TextField
          label="Subject (e.g. orders-value)"
          name="subject"
          value={subject}
          onValue={setSubject}
        />
        <Field label="Avro schema">
          <textarea
            name="schema"
            class="wide"
            rows={6}
            value={schema}
            onInput={(e) => setSchema(inputValue(e))}
          />
        </Field>
        <div class="buttons">
          <button type="submit" disabled={action.running || subject === ''}>
            Register
          </button>
        </div>
      </form>
      <ErrorBox error={action.error} />
    </Panel>
  )
}

export function SchemasPage() {
  const subjects = useLoad(async (signal) => {
    const names = await api<string[]>('GET', '/subjects', { signal })
    return Promise.all(
      names.map((name) =>
        api<SubjectVersion>('GET', `/subjects/${seg(name)}/versions/latest`, { signal }),
      ),
    )
  }, [])
  const global = useLoad(
    (signal) => api<{ compatibilityLevel: string }>('GET', '/config', { signal }),
    [],
  )
  return (
    <Page title="Schema registry">
      {global.data && (
        <CompatibilityLevel
          configPath="/config"
          level={global.data.compatibilityLevel}
          onChanged={global.reload}
        />
      )}
      <ErrorBox error={global.error} />
      <WhenLoaded state={subjects} what="subjects">
        {(loaded) => (
          <Table
            rows={loaded}
            rowKey={(s) => s.subject}
            empty="No subjects yet."
            columns={[
              {
                label: 'Subject',
                cell: (s) => <a href={`#/schemas/${seg(s.subject)}`}>{s.subject}</a>,
              },
              { label: 'Latest version', numeric: true, cell: (s) => s.version },
              { label: 'Schema id', numeric: true, cell: (s) => s.id },
            ]}
          />
        )}
      </WhenLoaded>
      <NewSubject />
    </Page>
  )
}
