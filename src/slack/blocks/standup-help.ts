import { STANDUP_USAGE } from '../../domain/checkins/command.js';
import { helpMessage } from './help.js';

/** `/standup help`, or a malformed command's answer with how to write it. */
export const standupHelpMessage = (problem?: string) => helpMessage('Standups with Preflight', STANDUP_USAGE, problem);
