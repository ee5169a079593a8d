import type { Connector } from './contract.js';

/**
 * Every connector Baton knows. Adding a tool = a folder under connectors/ and one line in
 * connectors/index.ts that calls `registerConnector`.
 */
const connectors = new Map<string, Connector>();

export function registerConnector(connector: Connector): void {
  if (connectors.has(connector.kind)) throw new Error(`connector kind ${connector.kind} is registered twice`);
  connectors.set(connector.kind, connector);
}

export function findConnector(kind: string): Connector | undefined {
  return connectors.get(kind);
}

export function connectorKinds(): string[] {
  return [...connectors.keys()].sort();
}
