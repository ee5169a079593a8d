// One line per tool. The kit's registry is the only thing src/ knows about connectors.

import type { Connector } from '../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../src/connectors/kit/registry.js';
import drive from './drive/index.js';
import github from './github/index.js';
import jira from './jira/index.js';
import outlook from './outlook/index.js';

const all: Connector[] = [github as Connector, jira as Connector, drive as Connector, outlook as Connector];

/** Registers every connector once (safe to call again). */
export function registerAllConnectors(): void {
  for (const connector of all) if (!findConnector(connector.kind)) registerConnector(connector);
}
