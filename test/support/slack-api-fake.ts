/**
 * The HTTP fake of the Slack Web API for tests that run the real process. It lives in sandbox/slack-stand-in/
 * so that `npm run sandbox` and the tests share one fake (issue 11); this file keeps the tests' import path.
 */
export { SlackApiFake, type RecordedCall, type SlackApiFakeOptions } from '../../sandbox/slack-stand-in/web-api.js';
