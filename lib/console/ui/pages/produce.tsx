import { useState } from 'preact/hooks'
import { api, seg } from '../api.ts'
import { useCluster } from '../cluster.ts'
import { ErrorBox, Field, inputValue, Page, Panel, TextField, TopicSelect } from '../components.tsx'
import { numberOrText } from '../form-input.ts'
import { base64OfText } from '../format.ts'
import { useAction } from '../hooks.ts'

type KeyFormat = 'none' | 'STRING' | 'JSON' | 'BINARY'
type ValueFormat = 'STRING' | 'JSON' | 'BINARY' | 'AVRO' | 'null'
type SchemaSource = 'latest' | 'id' | 'inline'

interface Delivery {
  readonly partition_id: number
  readonly offset: number
  readonly timestamp: string
  readonly value: { readonly type: string; readonly schema_id?: number } | null
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new Error(`The ${what} is not valid JSON: ${(error as Error).message}`)
  }
}

/** The v3 `Data` object for what was typed; BINARY is typed as base64 already. */
function data(format: 'STRING' | 'JSON' | 'BINARY', text: string, what: string) {
  return format === 'JSON'
    ? { type: format, data: parseJson(text, what) }
    : { type: format, data: text }
}

function avroValue(source: SchemaSource, schema: string, text: string) {
  const value = parseJson(text, 'value (Avro in its JSON encoding)')
  switch (source) {
    // No type: the API takes the latest schema of <topic>-value from the registry.
    case 'latest':
      return { data: value }
    case 'id':
      return { type: 'AVRO', schema_id: numberOrText(schema), data: value }
    case 'inline':
      return { type: 'AVRO', schema, data: value }
  }
}

interface HeaderRow {
  readonly name: string
  readonly value: string
}

export function ProducePage({ topic: initialTopic }: { readonly topic: string }) {
  const { path } = useCluster()
  const [topic, setTopic] = useState(initialTopic)
  const [partition, setPartition] = useState('')
  const [keyFormat, setKeyFormat] = useState<KeyFormat>('STRING')
  const [key, setKey] = useState('')
  const [valueFormat, setValueFormat] = useState<ValueFormat>('JSON')
  const [value, setValue] = useState('')
  const [schemaSource, setSchemaSource] = useState<SchemaSource>('latest')
  const [schema, setSchema] = useState('')
  const [headers, setHeaders] = useState<readonly HeaderRow[]>([])
  const [delivered, setDelivered] = useState<readonly Delivery[]>([])
  const action = useAction()

  const body = () => ({
    ...(partition.trim() !== '' && { partition_id: numberOrText(partition) }),
    ...(keyFormat !== 'none' && { key: data(keyFormat, key, 'key') }),
    value:
      valueFormat === 'null'
        ? null
        : valueFormat === 'AVRO'
          ? avroValue(schemaSource, schema, value)
          : data(valueFormat, value, 'value'),
    headers: headers
      .filter((header) => header.name !== '')
      .map((header) => ({ name: header.name, value: base64OfText(header.value) })),
  })

  const setHeader = (index: number, change: Partial<HeaderRow>) =>
    setHeaders(headers.map((header, i) => (i === index ? { ...header, ...change } : header)))

  return (
    <Page title="Produce">
      <Panel title="Record">
        <form
          class="grid"
          onSubmit={async (event) => {
            event.preventDefault()
            const report = await action.run(() =>
              api<Delivery>('POST', path(`/topics/${seg(topic)}/records`), { body: body() }),
            )
            if (report) setDelivered([report, ...delivered].slice(0, 20))
          }}
        >
          <TopicSelect value={topic} onChange={setTopic} />
          <TextField
            label="Partition (empty: by key)"
            name="partition"
            numeric
            value={partition}
            onValue={setPartition}
          />
          <Field label="Key format">
            <select value={keyFormat} onChange={(e) => setKeyFormat(inputValue(e) as KeyFormat)}>
              <option value="STRING">String</option>
              <option value="JSON">JSON</option>
              <option value="BINARY">Bytes (base64)</option>
              <option value="none">No key</option>
            </select>
          </Field>
          {keyFormat !== 'none' && (
            <TextField label="Key" name="key" value={key} onValue={setKey} />
          )}
          <Field label="Value format">
            <select
              value={valueFormat}
              onChange={(e) => setValueFormat(inputValue(e) as ValueFormat)}
            >
              <option value="JSON">JSON</option>
              <option value="STRING">String</option>
              <option value="BINARY">Bytes (base64)</option>
              <option value="AVRO">Avro (schema registry)</option>
              <option value="null">null (tombstone)</option>
            </select>
          </Field>
          {valueFormat === 'AVRO' && (
            <Field label="Schema">
              <select
                value={schemaSource}
                onChange={(e) => setSchemaSource(inputValue(e) as SchemaSource)}
              >
                <option value="latest">Latest of {topic || '<topic>'}-value</option>
                <option value="id">By schema id</option>
                <option value="inline">This schema (registered if new)</option>
              </select>
            </Field>
          )}
          {valueFormat === 'AVRO' && schemaSource !== 'latest' && (
            <Field label={schemaSource === 'id' ? 'Schema id' : 'Avro schema'}>
              {schemaSource === 'id' ? (
                <input
                  name="schema_id"
                  inputMode="numeric"
                  value={schema}
                  onInput={(e) => setSchema(inputValue(e))}
                />
              ) : (
                <textarea
                  name="schema"
                  rows={4}
                  value={schema}
                  onInput={(e) => setSchema(inputValue(e))}
                />
              )}
            </Field>
          )}
          {valueFormat !== 'null' && (
            <Field label="Value">
              <textarea
                name="value"
                class="wide"
                rows={5}
                value={value}
                onInput={(e) => setValue(inputValue(e))}
              />
            </Field>
          )}
          <div class="wide">
            <span class="label">Headers</span>
            {headers.map((header, i) => (
              <div class="inline" key={i}>
                <input
                  aria-label="Header name"
                  placeholder="name"
                  value={header.name}
                  onInput={(e) => setHeader(i, { name: inputValue(e) })}
                />
                <input
                  aria-label="Header value"
                  placeholder="value"
                  value={header.value}
                  onInput={(e) => setHeader(i, { value: inputValue(e) })}
                />
                <button
                  type="button"
                  class="quiet"
                  onClick={() => setHeaders(headers.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </div>
            ))}
            <button
              type="button"
              class="quiet"
              onClick={() => setHeaders([...headers, { name: '', value: '' }])}
            >
              Add header
            </button>
          </div>
          <div class="buttons">
            <button type="submit" disabled={!topic || action.running}>
              Produce
            </button>
          </div>
        </form>
        <ErrorBox error={action.error} />
      </Panel>
      {delivered.length > 0 && (
        <Panel title="Delivered">
          <ul class="plain">
            {delivered.map((report) => (
              <li key={`${report.partition_id}:${report.offset}`}>
                Stored at partition {report.partition_id}, offset {report.offset}
                {report.value?.schema_id !== undefined && ` (schema ${report.value.schema_id})`}
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </Page>
  )
}
