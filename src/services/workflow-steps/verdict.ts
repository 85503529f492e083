import { type Decision, verdict } from '../../domain/gonogo/verdict.js';
import type { Deps } from '../deps.js';
import { queueSummary } from '../gonogo/decisions.js';
import { verdictInput } from '../gonogo/facts.js';
import { outboundMessageLink } from './links.js';

/** The go/no-go verdict as the "Get the go/no-go verdict" workflow step gives it, so a workflow can branch on it. */
export interface StepVerdict {
  decision: Decision;
  /** Done items over all items, 0–100 (domain/gonogo/verdict.ts). */
  percent: number;
  /** Plain-words reasons, most important first. */
  reasons: string[];
  /** A link to the go/no-go summary posted in the program channel for this run; null when not posted in time. */
  permalink: string | null;
}

/**
 * The verdict now, and the go/no-go summary posted once in the program channel for this workflow run (queued under
 * the run's `function_execution_id`, as `/gonogo` queues one per invocation: a retry never posts it twice), with its
 * link. The summary's NO-GO opens the war room as `/gonogo`'s does (issue 23).
 */
export async function verdictForStep(deps: Deps, functionExecutionId: string): Promise<StepVerdict> {
  const v = verdict(await verdictInput(deps));
  const invocation = `step-${functionExecutionId}`;
  await queueSummary(deps, deps.config.program.channel, invocation);
  const permalink = await outboundMessageLink(deps, `gonogo-asked:${invocation}`);
  return { decision: v.decision, percent: v.percent, reasons: v.reasons, permalink };
}
