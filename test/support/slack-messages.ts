/** The fake workspace's message store (sandbox/slack-stand-in/messages.ts), shared by nock and HTTP fakes. */
export { imChannelOf, SlackMessageStore, uploadedBytes, type StoredFile, type StoredMessage } from '../../sandbox/slack-stand-in/messages.js';
