/**
 * What the use cases report for monitoring (a port: src/metrics implements it for Prometheus; services never
 * import a metrics library). Every method is cheap and synchronous and must never throw.
 */
export interface Observer {
  /** A standup prompt (`kind: 'prompt'`) or reminder was posted to a member by DM. */
  promptSent(kind: 'prompt' | 'reminder'): void;
  /** A member completed their standup answer for the first time in a run (`late`: after the run closed). */
  promptAnswered(late: boolean): void;
  /**
   * An escalation notice was posted. `lateMs` = when it was posted − when it was due (the ladder step's due time,
   * or the end of the recipient's quiet hours or of a snooze when it was deferred), in ms; ≥ 0 in practice.
   */
  escalationPinged(severity: string, lateMs: number): void;
}
