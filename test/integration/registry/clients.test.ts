import {
  AvroDeserializer,
  AvroSerializer,
  Compatibility,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry'
import {
  COMPATIBILITY,
  SchemaRegistry as KafkajsRegistry,
  SchemaType,
} from '@kafkajs/confluent-schema-registry'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordSchema, type Server, startServer, unique } from './support.ts'

/**
 * Confluent's own clients, unchanged, pointed at Sluice's base URL over a real
 * local HTTP port: whatever they send and expect is what Sluice must speak.
 */

const C = '/v3/clusters/local'

const ORDER_V1 = recordSchema('Order', [
  ['id', 'long'],
  ['item', 'string'],
  ['note', ['null', 'string'], null],
])
const ORDER_V2 = recordSchema('Order', [
  ['id', 'long'],
  ['item', 'string'],
  ['note', ['null', 'string'], null],
  ['quantity', 'int', 1],
])
/** Drops `item`, which v1 readers need and have no default for: FORWARD breaks. */
const ORDER_WITHOUT_ITEM = recordSchema('Order', [['id', 'long']])

let server: Server

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  await server.close()
})

async function createTopic(): Promise<string> {
  const topic = unique('orders')
  const reply = await server.call('POST', `${C}/topics`, { topic_name: topic }, 'application/json')
  expect(reply.status, reply.text).toBe(201)
  return topic
}

async function readValue(topic: string, valueType?: string) {
  const query = `offset=0${valueType ? `&value_type=${valueType}` : ''}`
  const reply = await server.call('GET', `${C}/topics/${topic}/partitions/0/records?${query}`)
  expect(reply.status, reply.text).toBe(200)
  return reply.body.data.at(-1).value
}

describe('@confluentinc/schemaregistry', () => {
  let client: SchemaRegistryClient

  beforeAll(() => {
    client = new SchemaRegistryClient({ baseURLs: [server.url] })
  })

  it('registers, looks up and fetches schemas by id and by version', async () => {
    const subject = unique('orders-value')
    const id = await client.register(subject, { schemaType: 'AVRO', schema: ORDER_V1 })
    expect(id).toBeGreaterThan(0)

    const fresh = new SchemaRegistryClient({ baseURLs: [server.url] })
    expect(await fresh.register(subject, { schemaType: 'AVRO', schema: ORDER_V1 })).toBe(id)
    expect(await fresh.getId(subject, { schemaType: 'AVRO', schema: ORDER_V1 })).toBe(id)
    expect(await fresh.getVersion(subject, { schemaType: 'AVRO', schema: ORDER_V1 })).toBe(1)
    const byId = await fresh.getBySubjectAndId(subject, id)
    expect(JSON.parse(byId.schema)).toEqual(JSON.parse(ORDER_V1))
    const latest = await fresh.getLatestSchemaMetadata(subject)
    expect(latest).toMatchObject({ id, version: 1, subject })
    expect(await fresh.getAllVersions(subject)).toEqual([1])
    expect(await fresh.getAllSubjects()).toContain(subject)

    const v2 = await fresh.register(subject, { schemaType: 'AVRO', schema: ORDER_V2 })
    expect(v2).not.toBe(id)
    expect(await fresh.getSchemaMetadata(subject, 2)).toMatchObject({ id: v2, version: 2 })
  })

  it('checks compatibility and keeps levels per subject and globally', async () => {
    const subject = unique('orders-value')
    await client.register(subject, { schemaType: 'AVRO', schema: ORDER_V1 })

    expect(await client.getDefaultCompatibility()).toBe(Compatibility.BACKWARD)
    await expect(client.getCompatibility(subject)).rejects.toMatchObject({
      status: 404,
      errorCode: 40408,
    })
    expect(await client.testSubjectCompatibility(subject, { schema: ORDER_WITHOUT_ITEM })).toBe(
      true,
    )
    expect(await client.updateCompatibility(subject, Compatibility.FULL)).toBe(Compatibility.FULL)
    expect(await client.getCompatibility(subject)).toBe(Compatibility.FULL)
    expect(await client.testSubjectCompatibility(subject, { schema: ORDER_WITHOUT_ITEM })).toBe(
      false,
    )
    expect(await client.testCompatibility(subject, 1, { schema: ORDER_V2 })).toBe(true)
    await expect(
      client.register(subject, { schemaType: 'AVRO', schema: ORDER_WITHOUT_ITEM }),
    ).rejects.toMatchObject({ status: 409, errorCode: 40901 })
    expect(await client.getAllVersions(subject)).toEqual([1])
  })

  it('soft and permanently deletes through the client', async () => {
    const subject = unique('orders-value')
    await client.register(subject, { schemaType: 'AVRO', schema: ORDER_V1 })
    expect(await client.deleteSubject(subject, false)).toEqual([1])
    expect(await client.getAllSubjects()).not.toContain(subject)
    expect(await client.deleteSubject(subject, true)).toEqual([1])
  })

  it("decodes bytes the Confluent serializer wrote, produced as BINARY, with Sluice's Avro read", async () => {
    const topic = await createTopic()
    const schemaId = await client.register(`${topic}-value`, {
      schemaType: 'AVRO',
      schema: ORDER_V1,
    })
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true })
    const order = { id: 7, item: 'tea', note: 'green' }
    const bytes = await serializer.serialize(topic, order, undefined as never)
    // The Confluent wire format: magic byte 0, then the schema id.
    expect(bytes[0]).toBe(0)
    expect(bytes.readUInt32BE(1)).toBe(schemaId)

    const produced = await server.call(
      'POST',
      `${C}/topics/${topic}/records`,
      { value: { type: 'BINARY', data: bytes.toString('base64') } },
      'application/json',
    )
    expect(produced.status, produced.text).toBe(200)

    expect(await readValue(topic, 'AVRO')).toEqual({
      type: 'AVRO',
      schema_id: schemaId,
      // Sluice answers in Avro's JSON encoding, where a union value names its branch.
      data: { id: 7, item: 'tea', note: { string: 'green' } },
    })
  })

  it('deserializes Avro values that Sluice wrote with the Confluent deserializer', async () => {
    const topic = await createTopic()
    const produced = await server.call(
      'POST',
      `${C}/topics/${topic}/records`,
      {
        value: {
          type: 'AVRO',
          schema: ORDER_V1,
          data: { id: 8, item: 'coffee', note: { string: 'black' } },
        },
      },
      'application/json',
    )
    expect(produced.status, produced.text).toBe(200)
    const { schema_id: schemaId } = produced.body.value

    const stored = await readValue(topic, 'BINARY')
    const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {})
    const decoded = await deserializer.deserialize(
      topic,
      Buffer.from(stored.data, 'base64'),
      undefined as never,
    )
    expect(decoded).toEqual({ id: 8, item: 'coffee', note: 'black' })
    expect(Buffer.from(stored.data, 'base64').readUInt32BE(1)).toBe(schemaId)
  })
})

describe('@kafkajs/confluent-schema-registry', () => {
  let registry: KafkajsRegistry

  beforeAll(() => {
    registry = new KafkajsRegistry({ host: server.url })
  })

  it('registers, finds ids by version and by schema, and fetches schemas', async () => {
    const subject = unique('kafkajs-value')
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: ORDER_V1 },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    )
    // A first registration sets the subject's level, after finding it has none (404).
    const config = await server.call('GET', `/config/${subject}`)
    expect(config.body).toEqual({ compatibilityLevel: 'BACKWARD' })

    expect(await registry.getLatestSchemaId(subject)).toBe(id)
    expect(await registry.getRegistryId(subject, 1)).toBe(id)
    expect(
      await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: ORDER_V1 }),
    ).toBe(id)
    const again = await registry.register(
      { type: SchemaType.AVRO, schema: ORDER_V1 },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    )
    expect(again.id).toBe(id)

    const fresh = new KafkajsRegistry({ host: server.url })
    const type = (await fresh.getSchema(id)) as { name?: string }
    expect(type.name).toBe('Order')
  })

  it('decodes what Sluice wrote, and Sluice decodes what it encoded', async () => {
    const topic = await createTopic()
    const subject = `${topic}-value`
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: ORDER_V1 }, { subject })

    // No type: the value uses the latest version of <topic>-value.
    const produced = await server.call(
      'POST',
      `${C}/topics/${topic}/records`,
      { value: { data: { id: 1, item: 'bread', note: null } } },
      'application/json',
    )
    expect(produced.status, produced.text).toBe(200)
    expect(produced.body.value).toMatchObject({
      type: 'AVRO',
      schema_id: id,
      subject,
      schema_version: 1,
    })
    const stored = await readValue(topic, 'BINARY')
    expect(await registry.decode(Buffer.from(stored.data, 'base64'))).toEqual({
      id: 1,
      item: 'bread',
      note: null,
    })

    const encoded = await registry.encode(id, { id: 2, item: 'jam', note: 'plum' })
    const binary = await server.call(
      'POST',
      `${C}/topics/${topic}/records`,
      { value: { type: 'BINARY', data: encoded.toString('base64') } },
      'application/json',
    )
    expect(binary.status, binary.text).toBe(200)
    expect(await readValue(topic, 'AVRO')).toEqual({
      type: 'AVRO',
      schema_id: id,
      data: { id: 2, item: 'jam', note: { string: 'plum' } },
    })
  })

  it('reports an incompatible schema as the registry refuses it', async () => {
    const subject = unique('kafkajs-value')
    await registry.register({ type: SchemaType.AVRO, schema: ORDER_V1 }, { subject })
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: ORDER_WITHOUT_ITEM }, { subject }),
    ).resolves.toMatchObject({ id: expect.any(Number) })
    await server.call('PUT', `/config/${subject}`, { compatibility: 'FORWARD' })
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: recordSchema('Order', [['id', 'string']]) },
        { subject, compatibility: COMPATIBILITY.FORWARD },
      ),
    ).rejects.toMatchObject({ status: 409 })
  })
})
