import type { PublishOutcome } from '../../services/retro/publish.js';

/**
 * What `/preflight retro` answers (ephemeral mrkdwn, issue 23) once the retrospective is published: where it is
 * (the program channel, as a canvas or, where canvases are refused, a Markdown file) or why it is not.
 */
export function retroOutcomeText(outcome: PublishOutcome): string {
  switch (outcome.kind) {
    case 'canvas':
      return `📝 The retrospective is drafted from the record as a canvas, shared with <#${outcome.channel}>. Type \`/preflight retro\` again to bring it up to date.`;
    case 'updated':
      return `📝 The retrospective canvas shared with <#${outcome.channel}> is up to date with the record.`;
    case 'file':
      return `📝 Canvases are not available in this workspace (\`${outcome.refused}\`), so the retrospective went to <#${outcome.channel}> as a Markdown file.`;
    case 'already':
      return outcome.canvasId
        ? `📝 The retrospective is already in <#${outcome.channel}>.`
        : `📝 The retrospective is already in <#${outcome.channel}> as a Markdown file; \`npm run retro\` writes an up-to-date one.`;
    case 'busy':
      return '⏳ The retrospective is being drafted right now; it will be in the program channel in a moment.';
    case 'failed':
      return `⚠️ Slack did not take the retrospective (\`${outcome.error}\`). Try \`/preflight retro\` again in a minute; \`npm run retro\` prints it meanwhile.`;
  }
}
