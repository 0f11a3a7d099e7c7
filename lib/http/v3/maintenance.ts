import { Hono } from 'hono'
import { z } from 'zod'
import { ForbiddenError } from '../../errors.ts'
import { MAINTENANCE_TASKS, type MaintenanceTask } from '../../maintenance/tasks.ts'
import type { HttpDeps } from '../deps.ts'
import { optionalJsonBody } from '../request-body.ts'

/**
 * How long one `maintenance:run` request may start work for: the answer must
 * come well within the API function's timeout and a client's patience. What
 * is left over, the next run does.
 */
export const MAINTENANCE_RUN_BUDGET_MS = 25_000

const runBody = z
  .object({
    topics: z.array(z.string().min(1)).min(1).optional(),
    tasks: z.array(z.enum(MAINTENANCE_TASKS)).min(1).optional(),
  })
  .strict()

/** `POST /v3/clusters/{cluster}/maintenance:run`: one maintenance run, its report as the answer. */
export function maintenanceRoutes(
  { maintenance }: HttpDeps,
  allowed: readonly MaintenanceTask[],
): Hono {
  const app = new Hono()

  // The literal 'maintenance:run': Hono would read ':run' as a parameter (see configs:alter).
  app.post('/:action{maintenance\\x3arun}', async (c) => {
    const { topics, tasks = allowed } = await optionalJsonBody(c, runBody)
    const refused = tasks.filter((task) => !allowed.includes(task))
    if (refused.length > 0) {
      throw new ForbiddenError(
        `Task ${refused.join(', ')} does not run through this endpoint here (it runs on its schedule); allowed: ${allowed.join(', ')}.`,
      )
    }
    const report = await maintenance.run({
      ...(topics && { topics }),
      tasks,
      budgetMs: MAINTENANCE_RUN_BUDGET_MS,
    })
    return c.json(report)
  })

  return app
}
