// One line per tool. The kit's registry is the only thing src/ knows about connectors.
import { registerConnector } from '../src/connectors/kit/registry.js';

export function registerAllConnectors(): void {
  // registerConnector(github);  — added by each connector's issue
  void registerConnector;
}
