/** A small valid plan file for the CLI tests: two phases, one Jira connection. */
export const opsMapping = `# yaml-language-server: $schema=./schema.json
version: 1
type: plan
plan:
  key: ops-demo
  title: Ops demo
  outcome: The demo plan ships
  owner: ana
people:
  - key: ana
    name: Ana Lima
    identities:
      jira: acc-ana
  - key: ben
    name: Ben Ode
    identities:
      jira: acc-ben
phases:
  - key: build
    name: Build
    owner: ana
  - key: launch
    name: Launch
    owner: ben
    depends_on: [build]
rules:
  - type: selector
    connection: jira
    phase: build
    when: { field: labels, equals: build }
`;
