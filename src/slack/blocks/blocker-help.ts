import { BLOCKER_USAGE } from '../../domain/blockers/command.js';
import { helpMessage } from './help.js';

/** `/blocker help`, or a malformed command's answer with how to write it. */
export const blockerHelpMessage = (problem?: string) => helpMessage('Blockers with Preflight', BLOCKER_USAGE, problem);
