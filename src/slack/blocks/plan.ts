import { DateTime } from 'luxon';
import type { AppliedPlan } from '../../services/plan/holder.js';
import type { ReloadOutcome } from '../../services/plan/reload.js';
import { slackDate } from './slack-date.js';
import { mention, safeMrkdwn } from './text.js';

const BY: Record<string, string> = { startup: 'start-up', file: 'a change of the file', sighup: 'SIGHUP' };

/** Who applied a plan, in words: a mention for a user id, else the trigger. */
const appliedBy = (by: string) => BY[by] ?? mention(by);

/**
 * `/preflight plan`'s answer: the version this replica runs, when (in `zone`'s fallback) and by whom it was applied,
 * e.g. "Plan version `3f2a9c0d1e2b`, applied by <@U0PM> Today 10:03 from preflight.yml."
 */
export function planText(plan: Pick<AppliedPlan, 'version' | 'appliedAt' | 'appliedBy'>, zone: string, path: string): string {
  return `Plan version \`${plan.version}\`, applied by ${appliedBy(plan.appliedBy)} ${slackDate(DateTime.fromJSDate(plan.appliedAt), zone)} from \`${safeMrkdwn(path, 300)}\`.`;
}

/** `/preflight reload`'s answer: the version applied, the same version kept, or the file's problems. */
export function reloadText(outcome: ReloadOutcome): string {
  switch (outcome.kind) {
    case 'applied':
      return `✅ Reloaded: Preflight now runs plan version \`${outcome.plan.version}\`.`;
    case 'unchanged':
      return `The file resolves to the plan already running (version \`${outcome.plan.version}\`): nothing changed.`;
    case 'stale':
      return `A newer plan runs already (version \`${outcome.plan.version}\`): nothing changed.`;
    case 'invalid':
      return `⚠️ The file does not validate, so nothing changed: the running plan (version \`${outcome.plan.version}\`) stays.\n\`\`\`${safeMrkdwn(outcome.message, 2_500)}\`\`\``;
  }
}
