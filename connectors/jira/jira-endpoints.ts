import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Cloud from 'jira.js/cloud';
import type { Client } from 'jira.js/core';

/**
 * jira.js's `jira.js/cloud` entry evaluates all 90 of its API modules and every model schema:
 * about 85 MB resident before the first request (measured), in every process that loads the Jira
 * connector. Baton calls three endpoints and reads one schema, so it loads just their modules: the
 * same jira.js functions the entry re-exports (typed from it), from the package's own files.
 * The package's export map does not list them, hence the path; the version is pinned by the lock
 * file, and a moved file fails here at load with its path.
 */
const cloudDist = join(
  dirname(createRequire(import.meta.url).resolve('jira.js/package.json')),
  'dist',
  'cloud',
);

async function jiraModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(cloudDist, file)).href)) as T;
}

const issueSearch =
  await jiraModule<Pick<typeof Cloud, 'searchAndReconsileIssuesUsingJqlPost'>>('api/issueSearch.js');
const issueComments = await jiraModule<Pick<typeof Cloud, 'addComment'>>('api/issueComments.js');
const myself = await jiraModule<Pick<typeof Cloud, 'getCurrentUser'>>('api/myself.js');
export const { FailedWebhooksSchema } =
  await jiraModule<Pick<typeof Cloud, 'FailedWebhooksSchema'>>('models/failedWebhooks.js');

type CloudClient = ReturnType<typeof Cloud.createCloudClient>;

/** The part of jira.js's Cloud client Baton uses, in the same shape `createCloudClient` returns. */
export interface JiraEndpoints {
  issueSearch: Pick<CloudClient['issueSearch'], 'searchAndReconsileIssuesUsingJqlPost'>;
  issueComments: Pick<CloudClient['issueComments'], 'addComment'>;
  myself: Pick<CloudClient['myself'], 'getCurrentUser'>;
}

export function jiraEndpoints(client: Client): JiraEndpoints {
  return {
    issueSearch: {
      searchAndReconsileIssuesUsingJqlPost: (parameters) =>
        issueSearch.searchAndReconsileIssuesUsingJqlPost(client, parameters),
    },
    issueComments: { addComment: (parameters) => issueComments.addComment(client, parameters) },
    myself: { getCurrentUser: (parameters) => myself.getCurrentUser(client, parameters) },
  };
}
