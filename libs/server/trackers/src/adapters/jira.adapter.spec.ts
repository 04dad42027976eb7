import { missingJiraKeys } from './jira.adapter';

describe('missingJiraKeys', () => {
  it('reads the keys a refused `key in (…)` search names, in Cloud’s and Data Center’s words', () => {
    expect(
      missingJiraKeys([
        "An issue with key 'OPS-7' does not exist for field 'key'.",
        "The issue key 'ops-9' for field 'key' is invalid.",
        "An issue with key 'OPS-7' does not exist for field 'key'.",
      ]),
    ).toEqual(['OPS-7', 'OPS-9']);
  });

  it('names none for other refusals (the search then fails as before)', () => {
    expect(missingJiraKeys(["Error in the JQL Query: Expecting ')' but got the end of the query.", "Field 'labels' does not exist"])).toEqual([]);
  });
});
