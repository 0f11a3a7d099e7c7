/**
 * The time a run may spend: work starts only while some is left, and every
 * step that starts finishes (each rewrite is one transaction), so a run that
 * stops at its deadline leaves nothing half done.
 */
export class Budget {
  constructor(
    private readonly deadline: number,
    private readonly clock: () => number,
  ) {}

  get exhausted(): boolean {
    return this.clock() >= this.deadline
  }
}
