import type { Type } from 'avsc'
import avro from 'avsc'
import { InvalidSchemaError } from './errors.ts'

/**
 * An Avro schema, given as parsed JSON, as avsc understands it; a schema avsc
 * refuses is a 42201 with avsc's reason. Unions read and write in Avro's JSON
 * encoding, `{"string": "x"}`, as the Confluent REST Proxy expects them: a
 * union value without its branch name would be ambiguous between, say, a map
 * and a record. The options object is new on every call because avsc records
 * the names it defines in it.
 */
export function avroSchemaType(json: unknown): Type {
  try {
    return avro.Type.forSchema(json as Parameters<typeof avro.Type.forSchema>[0], {
      wrapUnions: true,
    })
  } catch (error) {
    throw new InvalidSchemaError(`Invalid Avro schema: ${(error as Error).message}.`)
  }
}
