import { describe, expectTypeOf, it } from 'vitest'
import type { AssignorName, CompatibilityLevel } from '../../../lib/client/index.ts'
import type { AssignorName as ServerAssignorName } from '../../../lib/groups/assignors/assignors.ts'
import type { CompatibilityLevel as ServerCompatibilityLevel } from '../../../lib/registry/compatibility-levels.ts'

// The client spells the server's names out itself, so it ships without server code;
// `npm run typecheck` fails here when the two lists drift apart.
describe('names the client shares with the server', () => {
  it('are the assignors the server runs', () => {
    expectTypeOf<AssignorName>().toEqualTypeOf<ServerAssignorName>()
  })

  it('are the compatibility levels the registry knows', () => {
    expectTypeOf<CompatibilityLevel>().toEqualTypeOf<ServerCompatibilityLevel>()
  })
})
