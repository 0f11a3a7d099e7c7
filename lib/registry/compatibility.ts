import { readProblem } from './avro-compatibility.ts'
import { type CompatibilityLevel, compatibilityRule } from './compatibility-levels.ts'
import type { ParsedSchema } from './schema-types.ts'

export interface EarlierVersion {
  readonly version: number
  readonly schema: ParsedSchema
}

/**
 * What breaks if `candidate` follows `earlier` (live versions, oldest first)
 * under `level`: one message per version and direction that fails, empty when
 * it is compatible. Non-transitive levels look at the latest version only.
 */
export function compatibilityProblems(
  candidate: ParsedSchema,
  earlier: readonly EarlierVersion[],
  level: CompatibilityLevel,
): string[] {
  const rule = compatibilityRule(level)
  const checked = rule.transitive ? [...earlier].reverse() : earlier.slice(-1)
  const problems: string[] = []
  for (const { version, schema } of checked) {
    if (rule.backward) {
      const problem = readProblem(candidate.avro, schema.avro)
      if (problem) {
        problems.push(
          `${level}: the new schema cannot read data written with version ${version}, ${problem}`,
        )
      }
    }
    if (rule.forward) {
      const problem = readProblem(schema.avro, candidate.avro)
      if (problem) {
        problems.push(
          `${level}: version ${version} cannot read data written with the new schema, ${problem}`,
        )
      }
    }
  }
  return problems
}
