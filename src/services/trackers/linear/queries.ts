/*
 * The GraphQL documents the Linear adapter sends (https://linear.app/developers/graphql, schema at
 * https://studio.apollographql.com/public/Linear-API). One query per page with exactly the fields the mapping needs
 * (map.ts), instead of the SDK's lazy models that cost a request per relation.
 */

/** Linear's page size for the issue listing (its default `first`; https://linear.app/developers/pagination). */
export const PAGE_SIZE = 50;

/**
 * Inverse relations read per issue (every type: the connection takes no filter). Linear prices a query by complexity
 * (a connection multiplies its children by `first`; https://linear.app/developers/rate-limiting): 20 keeps a page of
 * 50 issues near 2,500 points instead of ~5,600 with 50. Blockers past the 20th relation are not seen (docs/trackers.md).
 */
export const MAX_BLOCKERS = 20;

const ISSUE_FIELDS = `
  identifier
  title
  url
  dueDate
  estimate
  priority
  updatedAt
  assignee { name email }
  state { name type }
  inverseRelations(first: ${MAX_BLOCKERS}) { nodes { type issue { identifier } } }
`;

/** Variables: `filter` (IssueFilter), `first`, `after` (cursor or null). Every state, archived issues left out. */
export const ISSUES_QUERY = `query PreflightIssues($filter: IssueFilter, $first: Int!, $after: String) {
  issues(filter: $filter, first: $first, after: $after, orderBy: createdAt) {
    nodes {${ISSUE_FIELDS}}
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The cheap credential check: who the token belongs to. */
export const VIEWER_QUERY = `query PreflightViewer { viewer { id } }`;

/** Variables: `id` (an identifier such as ENG-12, which Linear accepts wherever an issue id goes). The team's completed states, for moveToDone. */
export const DONE_STATES_QUERY = `query PreflightDoneStates($id: String!) {
  issue(id: $id) {
    id
    state { type }
    team { states(filter: { type: { eq: "completed" } }) { nodes { id name position } } }
  }
}`;

/** Variables: `id`, `stateId`. */
export const MOVE_ISSUE_MUTATION = `mutation PreflightMoveIssue($id: String!, $stateId: String!) {
  issueUpdate(id: $id, input: { stateId: $stateId }) { success }
}`;

/** Variables: `issueId` (identifier or UUID), `body` (markdown). */
export const COMMENT_MUTATION = `mutation PreflightComment($issueId: String!, $body: String!) {
  commentCreate(input: { issueId: $issueId, body: $body }) { success }
}`;
